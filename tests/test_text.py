from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.text import normalize, sentence_spans, word_spans

ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة ـًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩۰۱۲۳٤۵٦٧۸۹0123456789.,،؛؟!()«»%٪\n\u200f\ufefb\ufdf2")),
                 max_size=80)


@given(st.one_of(ARABIC, st.text(max_size=60)))
@settings(max_examples=300, deadline=None)
def test_offsets_of_normalized_spans_point_into_the_original(text):
    norm = normalize(text)
    assert len(norm.source) == len(norm.text)
    assert list(norm.source) == sorted(norm.source)
    for start, end in word_spans(norm.text):
        a, b = norm.to_original(start, end)
        assert 0 <= a < b <= len(text)
        # every character of the normalized word comes from inside the original span
        assert all(a <= norm.source[i] < b for i in range(start, end))


@given(ARABIC)
@settings(max_examples=200, deadline=None)
def test_words_and_sentences_are_exact_substrings(text):
    words = word_spans(text)
    assert all(text[a:b].strip() == text[a:b] and a < b for a, b in words)
    assert all(words[i][1] <= words[i + 1][0] for i in range(len(words) - 1))
    for a, b in sentence_spans(text):
        assert text[a:b] == text[a:b].strip() and a < b
    covered = "".join(text[a:b] for a, b in sentence_spans(text))
    assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "").strip()


def test_normalization_of_digits_marks_and_tatweel():
    original = "قُتِلَ ١٤ عنصراً بـ٣٫٥ مليون ۲۰"
    norm = normalize(original)
    assert norm.text == "قتل 14 عنصرا ب3.5 مليون 20"
    start = norm.text.index("3.5")
    a, b = norm.to_original(start, start + 3)
    assert original[a:b] == "٣٫٥"
    a, b = norm.to_original(0, 3)
    assert original[a:b] == "قُتِلَ"[:5]


def test_words_keep_clitics_and_split_punctuation(seed_text):
    words = [seed_text[a:b] for a, b in word_spans(seed_text)]
    assert words[:7] == ["أعلنت", "القيادة", "الوسطى", "الأمريكية", "(", "سنتكوم", ")"]
    assert "وريف" in words and "صاروخًا" in words and "130" in words
    assert [w for w in word_spans("1,500 و٣٫٥ 30%")] == [(0, 5), (6, 10), (11, 13), (13, 14)]


def test_sentences_split_on_arabic_punctuation():
    text = "قال المتحدث إن العملية نجحت. هل انتهت؟ نعم؛ انتهت\nسطر جديد بنسبة 3.5 في المئة"
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == ["قال المتحدث إن العملية نجحت.", "هل انتهت؟", "نعم؛", "انتهت", "سطر جديد بنسبة 3.5 في المئة"]
