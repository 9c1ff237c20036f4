"""Windows over documents: every word is owned by exactly one window, long sentences are not truncated."""
import pytest

from rasid.align import Document, make_windows


@pytest.fixture(scope="module")
def tokenizer(encoder_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(encoder_dir)


def _owned(doc, windows):
    owned = []
    for w in windows:
        owned += [i for i in range(w.own_start, w.own_end) if i in w.first_token]
    return owned


def test_packed_windows_own_every_word_once(tokenizer, seed_text):
    doc = Document.from_text(seed_text)
    windows = make_windows(doc, tokenizer, max_length=64)
    assert len(windows) > 5
    assert all(len(w.input_ids) <= 64 for w in windows)
    assert _owned(doc, windows) == list(range(len(doc.words)))


def test_a_sentence_longer_than_the_window_is_split_with_overlap(tokenizer):
    text = " ".join(["وأعلنت القيادة المركزية تدمير مخازن أسلحة للتنظيم في ريف دمشق"] * 30)
    doc = Document.from_text(text)
    assert len(doc.sentences) == 1
    windows = make_windows(doc, tokenizer, max_length=48, stride=12)
    assert len(windows) > 3
    assert all(len(w.input_ids) <= 48 for w in windows)
    assert _owned(doc, windows) == list(range(len(doc.words)))
    # consecutive windows overlap, so each owned word has context on both sides
    assert all(a.end_word > b.first_word for a, b in zip(windows, windows[1:]))


def test_word_index_requires_word_boundaries():
    doc = Document.from_text("قصفت الطائرات مواقع في ريف دمشق، أمس.")
    start = doc.text.index("ريف دمشق")
    assert doc.word_index(start, start + len("ريف دمشق")) == (4, 6)
    assert doc.word_index(start + 1, start + len("ريف دمشق")) is None
    assert doc.word_index(start, start + 6) is None


@pytest.mark.parametrize("all_subwords", [False, True])
def test_labels_on_first_or_all_subwords(tokenizer, all_subwords):
    from rasid.features import IGNORE, GoldDoc, window_features
    from rasid.heads import ModelSpec

    gold = GoldDoc.from_tags([["زار", "الاستخباراتيون", "البنتاغون", "أمس"]], [["O", "B-PERS", "B-ORG", "O"]])
    labels = ["O", "B-PERS", "I-PERS", "B-ORG", "I-ORG"]
    spec = ModelSpec(entity_labels=labels)
    (feat,) = window_features(gold, tokenizer, spec, all_subwords=all_subwords)
    (win,) = make_windows(gold.doc, tokenizer)
    got = [(w, None if y == IGNORE else labels[y]) for w, y in zip(win.token_words, feat["entity_labels"])]
    first = {w: t for t, w in reversed(list(enumerate(win.token_words)))}
    tags = ["O", "B-PERS", "B-ORG", "O"]
    assert any(t != first[w] for t, w in enumerate(win.token_words) if w >= 0), "needs a word of several subwords"
    for t, (w, y) in enumerate(got):
        if w < 0:
            assert y is None
        elif t == first[w]:
            assert y == tags[w]
        elif all_subwords:
            assert y == tags[w].replace("B-", "I-")
        else:
            assert y is None
