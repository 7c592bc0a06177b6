from ocr.engine import Word
from ocr.fields import RawField
from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.values import LEXICON_CONFIRMED, token_confidences, value_of


def raw(name: str, text: str, conf: float) -> RawField:
    words = [Word(t, conf, 10 * i, 0, 9, 9, 1, 1) for i, t in enumerate(text.split())]
    return RawField(name, text, words)


def test_a_name_the_lexicon_vouches_for_is_lifted_over_the_threshold():
    value, conf = value_of("birth", "full_name", raw("full_name", "NGUYỄN KIM HỮU", 0.5))
    assert value == "NGUYỄN KIM HỮU"
    assert conf == LEXICON_CONFIRMED > AUTO_ACCEPT_CONFIDENCE


def test_an_ambiguous_name_is_not_lifted():
    value, conf = value_of("birth", "full_name", raw("full_name", "TRẦN THANH MY", 0.5))
    assert conf == 0.5  # MY could be MỸ or MỴ: the lexicon cannot vouch for it


def test_closed_vocabulary_lifts_only_exact_members():
    assert value_of("birth", "nationality", raw("nationality", "Việt Nam", 0.6))[1] > 0.8
    value, conf = value_of("birth", "nationality", raw("nationality", "Việt ÑNam", 0.6))
    assert value == "Việt ÑNam" and conf == 0.6


def test_absent_value_is_none():
    assert value_of("birth", "sex", raw("sex", "....", 0.9))[0] is None


def test_each_name_token_stands_on_its_own_word_confidence():
    words = [
        Word("NGUYÊN", 0.1, 0, 0, 9, 9, 1, 1),
        Word("XUÂN", 0.92, 20, 0, 9, 9, 1, 1),
        Word("KHIẾT", 0.9, 40, 0, 9, 9, 1, 1),
    ]
    rf = RawField("full_name", "NGUYÊN XUÂN KHIẾT", words)
    assert token_confidences(rf) == [0.1, 0.92, 0.9]
    value, conf = value_of("birth", "full_name", rf)
    # The lexicon restores the tilde, but a value no reading gave is not sure alone.
    assert value == "NGUYỄN XUÂN KHIẾT" and conf < AUTO_ACCEPT_CONFIDENCE
    words[0] = Word("NGUYỄN", 0.1, 0, 0, 9, 9, 1, 1)
    value, conf = value_of("birth", "full_name", RawField("full_name", "NGUYỄN XUÂN KHIẾT", words))
    assert value == "NGUYỄN XUÂN KHIẾT" and conf >= AUTO_ACCEPT_CONFIDENCE


def test_a_title_of_the_list_is_a_closed_vocabulary():
    value, conf = value_of(
        "dossier_result", "document_title", raw("document_title", "QUYET ĐỊNH", 0.5)
    )
    assert value == "QUYẾT ĐỊNH" and conf > AUTO_ACCEPT_CONFIDENCE
