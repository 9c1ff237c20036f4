"""The scorer on small cases computed by hand."""
import pytest

from rasid.scoring import headline, score, score_tags

TEXT = "قتل الجيش العراقي 5 مسلحين في الأنبار أمس"
#       0    5    10        18 20       29 31      39


def ent(i, typ, text):
    start = TEXT.index(text)
    return {"id": i, "type": typ, "text": text, "start": start, "end": start + len(text)}


GOLD = {
    "id": "d1", "text": TEXT,
    "entities": [ent("T1", "ORG", "الجيش العراقي"), ent("T2", "QUANTITY", "5 مسلحين"), ent("T3", "LOC", "الأنبار"),
                 ent("T4", "DATE", "أمس")],
    "events": [{"id": "E1", "type": "KILL", "trigger": {"text": "قتل", "start": 0, "end": 3},
                "arguments": [{"role": "AGENT", "entity": "T1"}, {"role": "QUANTITY", "entity": "T2"},
                              {"role": "LOCATION", "entity": "T3"}, {"role": "TIME", "entity": "T4"}]}],
    "relations": [{"type": "LOCATED_IN", "head": "T1", "tail": "T3"}],
}


def test_perfect_prediction_scores_one():
    m = score([GOLD], [GOLD])
    assert m["entities"]["micro"]["f1"] == 1.0
    assert m["triggers"]["micro"]["f1"] == m["arguments"]["micro"]["f1"] == m["relations"]["micro"]["f1"] == 1.0
    assert headline(m) == 1.0


def test_partial_prediction_by_hand():
    pred = {
        "id": "d1", "text": TEXT,
        # ORG too short (wrong span), QUANTITY right, LOC typed PER (wrong), DATE right, plus nothing else
        "entities": [ent("T1", "ORG", "الجيش"), ent("T2", "QUANTITY", "5 مسلحين"), ent("T3", "PER", "الأنبار"),
                     ent("T4", "DATE", "أمس")],
        "events": [{"id": "E1", "type": "KILL", "trigger": {"text": "قتل", "start": 0, "end": 3},
                    "arguments": [{"role": "AGENT", "entity": "T1"}, {"role": "QUANTITY", "entity": "T2"},
                                  {"role": "TIME", "entity": "T4"}, {"role": "TARGET", "entity": "T2"}]}],
        "relations": [],
    }
    m = score([GOLD], [pred])
    # entities: 2 right of 4 predicted, 4 gold
    assert m["entities"]["micro"]["precision"] == pytest.approx(0.5)
    assert m["entities"]["micro"]["recall"] == pytest.approx(0.5)
    assert m["entities"]["QUANTITY"]["f1"] == 1.0 and m["entities"]["ORG"]["f1"] == 0.0
    assert m["triggers"]["micro"]["f1"] == 1.0
    # arguments: QUANTITY and TIME right (AGENT points to a wrong span); 2 of 4 predicted, 2 of 4 gold
    assert m["arguments"]["micro"]["precision"] == pytest.approx(0.5)
    assert m["arguments"]["micro"]["recall"] == pytest.approx(0.5)
    assert m["arguments"]["AGENT"]["f1"] == 0.0 and m["arguments"]["TIME"]["f1"] == 1.0
    assert m["relations"]["micro"]["recall"] == 0.0 and m["relations"]["micro"]["support"] == 1


def test_symmetric_relations_match_in_either_order():
    text = "تعاون الجيش الأردني مع الجيش السوري"
    a = {"id": "T1", "type": "ORG", "text": "الجيش الأردني", "start": 6, "end": 19}
    b = {"id": "T2", "type": "ORG", "text": "الجيش السوري", "start": 23, "end": 35}
    gold = {"id": "x", "text": text, "entities": [a, b], "events": [],
            "relations": [{"type": "PARTNER_OF", "head": "T1", "tail": "T2"}]}
    pred = dict(gold, relations=[{"type": "PARTNER_OF", "head": "T2", "tail": "T1"}])
    assert score([gold], [pred])["relations"]["micro"]["f1"] == 1.0


def test_mismatched_records_are_refused():
    with pytest.raises(ValueError):
        score([GOLD], [dict(GOLD, id="other")])


def test_conll_tags_follow_conlleval():
    gold = [["B-PERS", "I-PERS", "O", "I-LOC"]]
    pred = [["B-PERS", "I-PERS", "O", "B-LOC"]]
    m = score_tags(gold, pred)
    assert m["entities"]["micro"]["f1"] == 1.0
    m = score_tags(gold, [["B-PERS", "O", "O", "O"]])
    assert m["entities"]["micro"]["precision"] == 0.0 and m["entities"]["micro"]["recall"] == 0.0


def test_values_are_scored_on_numeric_entities_found_with_the_right_span():
    gold = {**GOLD, "entities": [ent("T1", "ORG", "الجيش العراقي"), {**ent("T2", "QUANTITY", "5 مسلحين"),
                                                                      "value": 5, "unit": "مسلح"},
                                 {**ent("T4", "DATE", "أمس"), "value": "2025-11-29"}]}
    pred = {**gold, "entities": [{**ent("T2", "QUANTITY", "5 مسلحين"), "value": 5, "unit": "مسلح", "score": 0.9},
                                 {**ent("T4", "DATE", "أمس"), "value": "2025-11-28", "score": 0.8}]}
    values = score([gold], [pred])["values"]
    assert values["QUANTITY"] == {"accuracy": 1.0, "matched": 1}
    assert values["DATE"] == {"accuracy": 0.0, "matched": 1}
    assert values["all"] == {"accuracy": 0.5, "matched": 2}
    assert "MONEY" not in values
