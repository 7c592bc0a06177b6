"""Vietnamese dates written in words, both ways.

Birth certificates print the date twice: in digits and "ghi bằng chữ" (in words). The
generator writes the words (:func:`date_to_words`); the checker reads them back
(:func:`words_to_date`) to compare with the digits. Reading works on accent-stripped
tokens and tolerates small OCR misspellings, because Tesseract often drops the stacked
diacritics these words are full of.
"""

from __future__ import annotations

import difflib
import random
import re
from datetime import date

from ocr.text import fold

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def number_to_words(n: int, *, thousand: str = "nghìn", zero_tens: str = "linh") -> str:
    """Spell 0 <= n <= 9999 as dates are written: 1987 -> 'một nghìn chín trăm tám mươi bảy'."""
    if not 0 <= n <= 9999:
        raise ValueError(f"out of range: {n}")
    if n == 0:
        return "không"
    words: list[str] = []
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    tens, units = divmod(rest, 10)
    if thousands:
        words += [_DIGITS[thousands], thousand]
    if hundreds or (thousands and rest):
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (thousands or hundreds):
            words.append(zero_tens)
        if units:
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append("tư")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return " ".join(words)


def date_to_words(d: date, rng: random.Random | None = None) -> str:
    """'Ngày mười lăm tháng ba năm một nghìn chín trăm tám mươi bảy'.

    With ``rng``, picks among the spellings real registers use (mồng/ngày for days 1-10,
    tư/bốn and giêng/chạp for months, nghìn/ngàn, linh/lẻ), so tests see the variety.
    """
    pick = (lambda options: rng.choice(options)) if rng else (lambda options: options[0])
    day = number_to_words(d.day)
    day_part = f"{pick(['mồng', 'ngày mồng', 'ngày'])} {day}" if d.day <= 10 else f"ngày {day}"
    month_words = {1: ["một", "giêng"], 4: ["tư", "bốn"], 12: ["mười hai", "chạp"]}
    month = pick(month_words.get(d.month, [number_to_words(d.month)]))
    year = number_to_words(d.year, thousand=pick(["nghìn", "ngàn"]), zero_tens=pick(["linh", "lẻ"]))
    text = f"{day_part} tháng {month} năm {year}"
    return text[0].upper() + text[1:]


# --- reading ---------------------------------------------------------------------------

_DIGIT_KEYS = {
    "khong": 0,
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "lam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
}
_VOCAB = [
    *_DIGIT_KEYS,
    "muoi",
    "tram",
    "nghin",
    "ngan",
    "linh",
    "le",
    "ngay",
    "mong",
    "mung",
    "thang",
    "gieng",
    "chap",
]
_TOKEN = re.compile(r"[a-z]+")


def _tokens(text: str) -> list[str]:
    out = []
    for tok in _TOKEN.findall(fold(text)):
        if tok not in _VOCAB:
            # Tesseract reads 'm' as 'rn' ("nărn"); unrepaired, difflib took "narn" for "ngan".
            tok = tok.replace("rn", "m")
        if tok in _VOCAB:
            out.append(tok)
            continue
        # Short tokens need a closer match: at 0.75 the label word "ghi" passed for "nghìn".
        cutoff = 0.75 if len(tok) > 3 else 0.8
        close = difflib.get_close_matches(tok, _VOCAB, n=1, cutoff=cutoff)
        if close:
            out.append(close[0])
    return out


def _parse_number(tokens: list[str]) -> int | None:
    if not tokens:
        return None
    total = group = 0
    digit: int | None = None
    for tok in tokens:
        if tok in _DIGIT_KEYS:
            if digit is not None:
                return None
            digit = _DIGIT_KEYS[tok]
        elif tok == "muoi":
            group += 10 * (digit if digit is not None else 1)
            digit = None
        elif tok == "tram":
            group += 100 * (digit if digit is not None else 1)
            digit = None
        elif tok in ("nghin", "ngan"):
            total += 1000 * ((group + (digit or 0)) or 1)
            group, digit = 0, None
        elif tok in ("linh", "le"):
            continue
        else:
            return None
    return total + group + (digit or 0)


def words_to_date(text: str) -> date | None:
    """Read a date in words back; ``None`` when it cannot be read with confidence."""
    toks = _tokens(text)
    if "thang" not in toks:
        return None
    t = toks.index("thang")
    # The day starts after its marker; words before it ("ghi bằng chữ") are not the day.
    markers = [i for i, x in enumerate(toks[:t]) if x in ("ngay", "mong", "mung")]
    day_toks = [x for x in toks[markers[-1] + 1 if markers else 0 : t] if x not in ("mong", "mung")]
    rest = toks[t + 1 :]
    year = month = None
    # The year begins at the last 'năm' whose tail reads as a four-digit number: the month
    # itself may be 'năm' (five), so a plain split on 'năm' would be wrong.
    for i in range(len(rest) - 1, -1, -1):
        if rest[i] == "nam":
            value = _parse_number(rest[i + 1 :])
            if value is not None and value >= 1000:
                year, month_toks = value, rest[:i]
                break
    else:
        return None
    if month_toks == ["gieng"]:
        month = 1
    elif month_toks == ["chap"]:
        month = 12
    else:
        month = _parse_number(month_toks)
    day = _parse_number(day_toks)
    if day is None or month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
