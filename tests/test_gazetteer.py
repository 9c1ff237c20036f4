"""Gazetteer features: matching keys, longest-first tagging, sources, persistence, and the model's input path."""
import json

import pytest
import torch

from rasid.align import Document
from rasid.gazetteer import Gazetteer, first_word_keys, name_words
from rasid.text import fold


def _gaz(**names) -> Gazetteer:
    return Gazetteer({name_words(n): t for t, ns in names.items() for n in ns})


def test_fold_merges_letter_variants_and_strips_marks():
    assert fold("إسرائيل") == fold("اسرائيل")
    assert fold("مستشفى") == fold("مستشفي")
    assert fold("غزة") == fold("غزه")
    assert fold("سُوريَّا") == fold("سوريا")


@pytest.mark.parametrize("word, stem", [("وبالعراق", "العراق"), ("للعراق", "العراق"), ("فلبنان", "لبنان"),
                                        ("وسوريا", "سوريا"), ("كالمغرب", "المغرب")])
def test_first_word_may_carry_a_proclitic(word, stem):
    assert fold(stem) in first_word_keys(fold(word))


def test_short_words_keep_their_first_letter():
    assert first_word_keys(fold("بغداد"))[0] == fold("بغداد")
    assert first_word_keys(fold("بلد")) == [fold("بلد")]


def test_longest_name_wins_and_tags_are_begin_then_inside():
    gaz = _gaz(LOC=["السعودية", "المملكة العربية السعودية"], ORG=["وزارة الدفاع"])
    doc = Document.from_text("زار وفد من وزارة الدفاع المملكة العربية السعودية ثم عاد من السعودية.")
    tags = gaz.word_tags(doc)
    loc, org = 1 + 2 * gaz.types.index("LOC"), 1 + 2 * gaz.types.index("ORG")
    words = [doc.text[a:b] for a, b in doc.words]
    assert tags[words.index("وزارة")] == org and tags[words.index("الدفاع")] == org + 1
    first = words.index("المملكة")
    assert tags[first : first + 3] == [loc, loc + 1, loc + 1]
    assert tags[words.index("السعودية", first + 3)] == loc
    assert tags[words.index("زار")] == 0 and tags[-1] == 0


def test_adjacent_names_each_begin():
    gaz = _gaz(LOC=["دمشق", "حمص"])
    loc = 1 + 2 * gaz.types.index("LOC")
    assert gaz.word_tags(Document.from_text("دمشق حمص")) == [loc, loc]


def test_window_tags_follow_the_tokens_words():
    from rasid.align import Window

    gaz = _gaz(LOC=["ريف دمشق"])
    doc = Document.from_text("في ريف دمشق")
    win = Window([0, 5, 6, 7, 8, 0], [-1, 0, 1, 2, 2, -1], 0, 3, 0, 3)
    gaz.tag_windows(doc, [win])
    assert win.gazetteer_tags == [0, 0, 1, 2, 2, 0]


def test_sources_vote_on_the_type_and_lists_are_checked(tmp_path):
    text = "قالت الأمم المتحدة إن الأردن"
    span = lambda name, typ: {"type": typ, "start": text.index(name), "end": text.index(name) + len(name)}  # noqa: E731
    records = [{"id": "a", "text": text, "entities": [span("الأمم المتحدة", "ORG"), span("الأردن", "LOC")]}]
    jsonl = tmp_path / "gold.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    listed = tmp_path / "names.tsv"
    listed.write_text("ORG\tالأردن\nORG\tالأردن\n\nPER\tأبو بكر البغدادي\n", encoding="utf-8")
    gaz = Gazetteer.from_sources([str(jsonl), str(listed)])
    assert gaz.names[name_words("الأمم المتحدة")] == "ORG"
    assert gaz.names[name_words("الأردن")] == "ORG"  # two votes against one
    assert gaz.names[name_words("ابو بكر البغدادي")] == "PER"
    bad = tmp_path / "bad.tsv"
    bad.write_text("LOC\tدمشق\nCITY\tحلب\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:2"):
        Gazetteer.from_sources([str(bad)])
    with pytest.raises(ValueError, match="neither"):
        Gazetteer.from_sources(["no-such-list"])


def test_countries_come_from_babel_without_organizations():
    gaz = Gazetteer.from_sources(["countries"])
    assert gaz.names[name_words("مصر")] == "LOC"
    assert name_words("الكونغو") in gaz.names
    assert name_words("الاتحاد الأوروبي") not in gaz.names


def test_save_and_load_keep_every_name(tmp_path):
    gaz = Gazetteer.from_sources(["countries", "cities"])
    gaz.save(tmp_path)
    again = Gazetteer.load(tmp_path)
    assert again.names == gaz.names and again.types == gaz.types


def test_zero_gazetteer_embedding_leaves_the_encoder_output_unchanged(tiny_encoder):
    from rasid.heads import JointModel, ModelSpec

    labels = ["O", "B-LOC", "I-LOC"]
    torch.manual_seed(0)
    plain, tok = JointModel.create(ModelSpec(encoder=tiny_encoder, entity_labels=labels))
    with_gaz = JointModel(plain.encoder, ModelSpec(encoder=tiny_encoder, entity_labels=labels, gazetteer=["LOC"]))
    ids = torch.tensor([tok("قصف في دمشق")["input_ids"]])
    mask = torch.ones_like(ids)
    tags = torch.tensor([[0] + [1] * (ids.size(1) - 2) + [0]])
    plain.eval(), with_gaz.eval()
    assert torch.allclose(plain.encode(ids, mask), with_gaz.encode(ids, mask, tags), atol=1e-6)
    with torch.no_grad():
        with_gaz.gazetteer_embedding.weight[1] = torch.randn(with_gaz.gazetteer_embedding.weight.size(1))
    assert not torch.allclose(plain.encode(ids, mask), with_gaz.encode(ids, mask, tags), atol=1e-3)
    with pytest.raises(ValueError, match="gazetteer"):
        with_gaz.encode(ids, mask)
