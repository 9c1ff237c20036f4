"""`rasid adapt`: masked-word training on unlabelled text gives an encoder directory `rasid train` can read."""
import json

import pytest
import torch
from transformers import AutoTokenizer

from rasid.adapt import blocks, read_texts
from rasid.cli import main
from rasid.heads import load_encoder

DOCS = ["أعلنت القيادة المركزية الأمريكية تدمير نحو 130 صاروخا في جنوب سوريا.",
        "قالت وزارة الداخلية العراقية إنها اعتقلت 119 عنصرا من تنظيم داعش خلال ستة أشهر.",
        "ضبطت قوات الأمن الأردنية شحنة من حبوب الكبتاغون على الحدود الشمالية مع سوريا."] * 6


def test_texts_are_read_from_jsonl_conll_and_plain_text(tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                             for i, t in enumerate(DOCS[:2])), encoding="utf-8")
    conll = tmp_path / "b.txt"
    conll.write_text("وزارة B-ORG\nالداخلية I-ORG\nقالت O\n\nفي O\nسوريا B-LOC", encoding="utf-8")
    plain = tmp_path / "c.txt"
    plain.write_text(DOCS[2], encoding="utf-8")
    assert read_texts([str(jsonl), str(conll), str(plain)]) == [*DOCS[:2], "وزارة الداخلية قالت\nفي سوريا", DOCS[2]]
    empty = tmp_path / "d.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(ValueError, match="no text"):
        read_texts([str(empty)])
    no_text = tmp_path / "e.jsonl"
    no_text.write_text('{"id": "1", "text": "نص"}\n{"id": "2"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"e\.jsonl:2: .*'text'"):
        read_texts([str(no_text)])


def test_blocks_fill_every_window_and_keep_every_subword(encoder_dir):
    tok = AutoTokenizer.from_pretrained(encoder_dir)
    windows = blocks(tok, DOCS, 32)
    assert all(w[0] == tok.cls_token_id and w[-1] == tok.sep_token_id and len(w) <= 32 for w in windows)
    assert all(len(w) == 32 for w in windows[:-1])
    inner = [i for w in windows for i in w[1:-1]]
    expected = [i for d in DOCS for i in tok(d, add_special_tokens=False)["input_ids"] + [tok.sep_token_id]]
    assert inner == expected[:len(inner)] and len(expected) - len(inner) < 30 // 4


def test_adapt_trains_the_encoder_and_saves_a_loadable_directory(tmp_path, tiny_encoder):
    data = tmp_path / "news.jsonl"
    data.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                            for i, t in enumerate(DOCS)), encoding="utf-8")
    out = tmp_path / "adapted"
    assert main(["adapt", str(data), "--encoder", tiny_encoder, "--output-dir", str(out), "--max-steps", "4",
                 "--batch-size", "4", "--max-length", "32", "--learning-rate", "1e-2", "--precision", "fp32"]) == 0
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["train_windows"] >= 4 and metrics["heldout_windows"] >= 1
    assert metrics["heldout_mlm_loss_after"] < metrics["heldout_mlm_loss_before"]
    adapted, tok = load_encoder(str(out / "encoder"))
    original, _ = load_encoder(tiny_encoder)
    assert len(tok) == adapted.config.vocab_size
    changed = [name for name, p in adapted.state_dict().items()
               if not torch.equal(p, original.state_dict()[name])]
    assert any("encoder.layer" in name for name in changed)


def test_the_loss_on_masked_positions_only_equals_the_full_masked_lm_loss(tiny_encoder):
    from transformers import AutoModelForMaskedLM, TrainingArguments

    from rasid.adapt import masked_only_trainer

    torch.manual_seed(0)
    model = AutoModelForMaskedLM.from_pretrained(tiny_encoder).eval()
    ids = torch.randint(5, 200, (2, 16))
    labels = torch.full_like(ids, -100)
    labels[0, 3], labels[1, 7], labels[1, 11] = 17, 42, 99
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    expected = model(**inputs, labels=labels).loss
    trainer = masked_only_trainer()(model=model, args=TrainingArguments("unused", report_to=[], use_cpu=True))
    got = trainer.compute_loss(model, {**inputs, "labels": labels})
    assert torch.allclose(got, expected, atol=1e-5)
