"""Public NER sets as names-only training data (`rasid train --ner-data`), and the type mapping they share with
eval/public_ner.py."""
import json
import math

import pytest
import torch

from rasid.cli import main
from rasid.features import collate, window_features
from rasid.heads import JointModel, ModelSpec
from rasid.io import read_conll
from rasid.labels import ENTITY_TYPES, EVENT_TYPES, IGNORE, RELATIONS, ROLES, bio_tags, public_name_tag
from rasid.train import TrainConfig, load_ner_data

SENTENCES = ["قال O\nكوفي B-PERS\nعنان I-PERS\nفي O\nنيويورك B-LOC\nإن O\n3 O\nجنود O\nقتلوا O",
             "وأعلنت O\nوزارة B-ORG\nالدفاع I-ORG\nالأمريكية I-ORG\nعن O\nمعرض O\nأوروبا B-MISC\n2004 I-MISC"]


@pytest.mark.parametrize("tag, scored, trained", [
    ("B-PERS", "B-PER", "B-PER"), ("I-GPE", "I-LOC", "I-LOC"), ("B-ORG", "B-ORG", "B-ORG"),
    ("B-MISC", "O", "B-MISC"), ("I-NORP", "O", "I-NORP"), ("O", "O", "O"), ("IO", "O", "IO"),
])
def test_public_tags_map_onto_rasid_name_types(tag, scored, trained):
    assert public_name_tag(tag) == scored
    assert public_name_tag(tag, keep_others=True) == trained


def _spec(encoder: str) -> ModelSpec:
    return ModelSpec(encoder=encoder, entity_labels=bio_tags(ENTITY_TYPES), trigger_labels=bio_tags(EVENT_TYPES),
                     roles=list(ROLES), relations=list(RELATIONS), max_length=64)


def test_names_only_windows_give_choices_that_leave_name_edges_to_rasid_and_skip_misc(tmp_path, tiny_encoder):
    conll = tmp_path / "public.txt"
    conll.write_text("\n\n".join(SENTENCES), encoding="utf-8")
    (gold,) = load_ner_data([str(conll)])
    assert gold.names_only
    assert [(e.type, e.first, e.end) for e in gold.entities] == [("PER", 1, 3), ("LOC", 4, 5), ("ORG", 10, 13),
                                                                  ("MISC", 15, 17)]
    spec = _spec(tiny_encoder)
    model, tokenizer = JointModel.create(spec)
    (feat,) = window_features(gold, tokenizer, spec)
    ids = {t: i for i, t in enumerate(spec.entity_labels)}
    free = sum(1 << i for t, i in ids.items() if t == "O" or t[2:] in ("QUANTITY", "MONEY", "PERCENT", "DATE"))

    def may(*tags: str, outside: bool = True) -> int:
        return (free if outside else 0) | sum(1 << ids[t] for t in tags)

    assert all(label == IGNORE for label in feat["entity_labels"] + feat["trigger_labels"])
    words = [c for c in feat["entity_choices"] if c]
    assert words == [
        may("B-PER"), may("B-PER", "I-PER", outside=False), may("I-PER", outside=False),  # قال كوفي عنان
        may("I-PER", "B-LOC"), may("B-LOC", "I-LOC", outside=False), may("I-LOC"),      # في نيويورك إن
        free, free, free,                                                               # 3 جنود قتلوا
        may("B-ORG"), may("B-ORG", "I-ORG", outside=False), may("I-ORG", outside=False),  # وأعلنت وزارة الدفاع
        may("I-ORG", outside=False), may("I-ORG"), free,                                 # الأمريكية عن معرض
    ]  # the two MISC words (أوروبا 2004) take nothing and are skipped
    assert feat["ent_spans"] == [] and feat["arg_pairs"] == [] and feat["rel_pairs"] == []
    loss = model(**collate([feat, feat]))["loss"]
    loss.backward()
    assert torch.isfinite(loss) and model.entity_head.weight.grad.abs().sum() > 0
    assert model.trigger_head.weight.grad is None  # no trigger is known in a public NER set


def test_a_word_with_choices_is_scored_by_the_probability_of_its_allowed_tags(tiny_encoder):
    spec = _spec(tiny_encoder)
    model, _ = JointModel.create(spec)
    torch.manual_seed(0)
    logits = torch.randn(4, len(spec.entity_labels))
    b_per, b_loc, i_loc = (spec.entity_labels.index(t) for t in ("B-PER", "B-LOC", "I-LOC"))
    free = [i for i, t in enumerate(spec.entity_labels) if t[2:] not in ("ORG", "LOC", "PER")]
    assert len(free) == 1 + 2 * 4  # O and the numeric types
    labels = torch.tensor([b_per, IGNORE, IGNORE, 0])
    choices = torch.tensor([0, sum(1 << i for i in free), (1 << b_loc) | (1 << i_loc), 0])
    probs = logits.softmax(-1)
    expected = -(probs[0, b_per].log() + probs[1, free].sum().log() + (probs[2, b_loc] + probs[2, i_loc]).log()
                 + probs[3, 0].log()) / 4
    assert torch.isclose(model.entity_loss(logits, labels, choices), expected, atol=1e-6)
    known = torch.tensor([1, 0, IGNORE, 3])
    assert torch.isclose(model.entity_loss(logits, known), torch.nn.functional.cross_entropy(logits, known))
    assert torch.isclose(model.entity_loss(logits, known, torch.zeros(4, dtype=torch.long)),
                         torch.nn.functional.cross_entropy(logits, known))
    assert model.entity_loss(logits, torch.full((4,), IGNORE)) == 0


def test_ner_data_options_are_checked():
    with pytest.raises(ValueError, match="CRF"):
        TrainConfig(crf=True, ner_data=["x.txt"])
    with pytest.raises(ValueError, match="ner_data_fraction"):
        TrainConfig(ner_data_fraction=0)


def test_training_mixes_names_only_windows_into_rasid_data(tmp_path, tiny_encoder, capsys):
    conll = tmp_path / "public.txt"
    conll.write_text("\n\n".join(SENTENCES * 6), encoding="utf-8")
    dev = tmp_path / "dev.jsonl"
    dev.write_text("\n".join(open("annotations/corpus/dev.jsonl", encoding="utf-8").read().splitlines()[:2]),
                   encoding="utf-8")
    out = tmp_path / "run"
    assert main(["train", "--base-model", tiny_encoder, "--train", str(dev), "--dev", str(dev),
                 "--ner-data", str(conll), "--ner-data-fraction", "0.5", "--output-dir", str(out), "--epochs", "1",
                 "--batch-size", "4", "--max-length", "64", "--warmup-ratio", "0"]) == 0
    assert "names-only windows" in capsys.readouterr().out
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["config"]["ner_data"] == [str(conll)]
    assert metrics["history"] and math.isfinite(metrics["dev"]["entities"]["micro"]["f1"])
    assert ModelSpec.load(out / "model").entity_labels == bio_tags(ENTITY_TYPES)


def test_ner_data_goes_with_rasid_data_only(tmp_path, tiny_encoder):
    conll = tmp_path / "public.txt"
    conll.write_text("\n\n".join(SENTENCES * 4), encoding="utf-8")
    with pytest.raises(ValueError, match="ner_data"):
        main(["train", "--base-model", tiny_encoder, "--train", str(conll), "--dev-fraction", "0.2",
              "--ner-data", str(conll), "--output-dir", str(tmp_path / "run"), "--max-steps", "1"])


def _public_ner():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("public_ner", Path(__file__).parent.parent / "eval" / "public_ner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NESTED = ("وزير B-OCC\nخارجية B-ORG I-OCC\nفلسطين I-ORG B-GPE\nرياض B-PERS\nالمالكي I-PERS\n\n"
          "الفلسطينيون B-NORP\nفي O\nرام B-GPE\nالله I-GPE\n")


def test_public_benchmark_reads_the_outermost_layer_in_rasid_types(tmp_path):
    path = tmp_path / "nested.txt"
    path.write_text(NESTED, encoding="utf-8")
    tokens, tags = read_conll(path, column=1, tag_map=public_name_tag)
    assert tokens[1] == ["الفلسطينيون", "في", "رام", "الله"]
    assert tags == [["O", "B-ORG", "I-ORG", "B-PER", "I-PER"], ["O", "O", "B-LOC", "I-LOC"]]
    noisy = tmp_path / "noisy.txt"
    noisy.write_text("كلمة IO\nدمشق B-LOC\n", encoding="utf-8")  # AQMAR has a few such tags
    assert read_conll(noisy, column=1, tag_map=public_name_tag)[1] == [["O", "B-LOC"]]
    with pytest.raises(ValueError, match="noisy.txt:1"):
        read_conll(noisy)


class _Echo:
    """Stands in for an Extractor: tags every document with the given tags in a public scheme's names."""

    def __init__(self, tags: list[list[str]]):
        self.tags = tags

    def tag_documents(self, docs, batch_size):
        assert [len(d.words) for d in docs] == [len(t) for t in self.tags]
        return self.tags


def test_public_benchmark_maps_predicted_types_and_scores_per_sentence(tmp_path):
    bench = _public_ner()
    path = tmp_path / "nested.txt"
    path.write_text(NESTED, encoding="utf-8")
    raw = ["B-OCC", "B-ORG", "I-ORG", "B-PERS", "I-PERS", "B-MISC", "O", "B-GPE", "I-GPE"]
    perfect = bench.evaluate(_Echo([raw]), [path], batch_size=2)
    assert perfect["micro"]["f1"] == 1.0 and perfect["sentences"] == 2 and perfect["tokens"] == 9
    assert perfect["PER"]["support"] == perfect["LOC"]["support"] == perfect["ORG"]["support"] == 1
    wrong_type = bench.evaluate(_Echo([["O", "B-LOC", "I-LOC"] + raw[3:]]), [path], batch_size=2)
    assert wrong_type["ORG"]["recall"] == 0 and wrong_type["micro"]["precision"] == pytest.approx(2 / 3)


def test_public_benchmark_runs_a_model_over_every_set(tmp_path, saved_model):
    for pattern in ("anercorp_camellab/ANERCorp_CamelLab_test.txt", "wojood_sample/train.txt",
                    "wojood_sample/val.txt", "wojood_sample/test.txt", "aqmar/articles/A.txt"):
        (tmp_path / pattern).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / pattern).write_text(NESTED, encoding="utf-8")
    results = _public_ner().main(["--model", str(saved_model), "--benchmarks", str(tmp_path),
                                  "-o", str(tmp_path / "out.json")])
    assert results["wojood-sample"]["sentences"] == 6 and results["aqmar"]["sentences"] == 2
    assert json.loads((tmp_path / "out.json").read_text())["anercorp-test"]["tokens"] == 9
    with pytest.raises(FileNotFoundError, match="aqmar"):
        _public_ner().main(["--model", str(saved_model), "--benchmarks", str(tmp_path / "none"), "--sets", "aqmar"])


def test_ner_data_reads_the_outermost_layer_of_nested_sets(tmp_path):
    path = tmp_path / "nested.txt"
    path.write_text(NESTED, encoding="utf-8")
    (gold,) = load_ner_data([str(path)])
    assert [(e.type, e.first, e.end) for e in gold.entities] == [("OCC", 0, 1), ("ORG", 1, 3), ("PER", 3, 5),
                                                                  ("NORP", 5, 6), ("LOC", 7, 9)]


def test_name_diff_lists_the_names_one_model_finds_and_the_other_misses(monkeypatch):
    import importlib.util
    from pathlib import Path

    folder = Path(__file__).parent.parent / "eval"
    monkeypatch.syspath_prepend(str(folder))
    spec = importlib.util.spec_from_file_location("name_diff", folder / "name_diff.py")
    name_diff = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(name_diff)
    words = [["قالت", "جريدة", "فلسطين", "إن", "رياض", "المالكي", "وصل"]]
    gold = [["O", "B-ORG", "I-ORG", "O", "B-PER", "I-PER", "O"]]
    a = [["O", "B-ORG", "I-ORG", "O", "B-PER", "O", "O"]]
    b = [["O", "O", "B-LOC", "O", "B-PER", "I-PER", "O"]]
    counts, lost = name_diff.compare(words, gold, a, b)
    assert counts == {(True, False): 1, (False, True): 1}
    assert lost == [("ORG", "جريدة فلسطين", [("LOC", "فلسطين")])]
    counts, lost = name_diff.compare(words, gold, a, b, typ="PER")
    assert counts == {(False, True): 1} and lost == []
    only_b, only_a = name_diff.added_false_positives(words, gold, a, b)
    assert only_b == {"فلسطين": 1} and only_a == {"رياض": 1}
    only_b, only_a = name_diff.added_false_positives(words, gold, a, b, typ="ORG")
    assert not only_b and not only_a
