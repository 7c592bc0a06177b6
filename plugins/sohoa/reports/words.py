"""The words of the KPI report in Vietnamese (the default) and English (``--lang en``).

Headings, indicator names, sheet and column names, levels and book types; numbers with
the language's decimal sign; times in Vietnam time; period names ("Quý II/2024"). The
report's data (:func:`sohoa.kpi.report.build_report`, the JSON) keeps English keys: only
what a person reads changes with the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sohoa.kpi.indicators import FULL_POINTS_AT, INDICATORS
from sohoa.kpi.periods import Period, parse_period
from sohoa.labels import DOC_TYPE_LABELS
from sohoa.localtime import vietnam_time

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
_ROMAN = ("I", "II", "III", "IV")
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class IndicatorWords:
    title: str
    numerator: str
    denominator: str


# The indicators' names as the provinces' scorecards print them, and their definitions.
INDICATOR_WORDS = {
    "vi": {
        "e_result_rate": IndicatorWords(
            "Tỷ lệ hồ sơ có kết quả điện tử",
            "hồ sơ yêu cầu trả kết quả giấy có tệp kết quả điện tử",
            "hồ sơ yêu cầu trả kết quả giấy",
        ),
        "digitization_rate": IndicatorWords(
            "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            "hồ sơ mà mọi thành phần đều có tệp hoặc được sử dụng lại, và có tệp kết quả "
            "khi yêu cầu trả kết quả giấy",
            "tổng số hồ sơ",
        ),
        "reuse_rate": IndicatorWords(
            "Tỷ lệ khai thác, sử dụng lại dữ liệu đã số hóa",
            "hồ sơ có ít nhất một thành phần được sử dụng lại từ dữ liệu đã số hóa",
            "hồ sơ có ngày tiếp nhận",
        ),
    },
    "en": {i.key: IndicatorWords(i.title, i.numerator, i.denominator) for i in INDICATORS},
}

_TABLES = {
    "vi": {
        "indicators": "Chỉ tiêu",
        "trend": "Diễn biến theo tháng",
        "register_progress": "Tiến độ số hóa sổ",
        "data_quality": "Chất lượng dữ liệu",
        "definitions": "Cách tính",
        "about": "Thông tin báo cáo",
        "drill_down": "Hồ sơ chi tiết",
    },
    "en": {
        "indicators": "indicators",
        "trend": "trend",
        "register_progress": "register_progress",
        "data_quality": "data_quality",
        "definitions": "definitions",
        "about": "about",
        "drill_down": "drill_down",
    },
}

# Column headings; English keeps the JSON's keys (the CSV of scripts before issue 15).
_COLUMNS_VI = {
    "level": "Cấp",
    "rank": "Hạng",
    "province_code": "Mã tỉnh/thành phố",
    "province_name": "Tỉnh/thành phố",
    "unit_code": "Mã đơn vị",
    "unit_name": "Tên đơn vị",
    "dossiers": "Số hồ sơ",
    "points": "Tổng điểm",
    "month": "Tháng",
    "book_type": "Loại sổ",
    "year": "Năm",
    "books": "Số quyển",
    "books_declared": "Số quyển có khai báo số mục",
    "declared_entries": "Số mục khai báo",
    "digitized_entries": "Số mục đã số hóa",
    "progress_rate": "Tiến độ (%)",
    "loaded_records": "Đã nạp",
    "auto_accepted": "Tự động chấp nhận",
    "auto_accepted_share": "Tự động chấp nhận (%)",
    "reviewed": "Qua duyệt",
    "reviewed_share": "Qua duyệt (%)",
    "typed": "Nhập tay",
    "typed_share": "Nhập tay (%)",
    "rejected_pages": "Trang bị loại",
    "rejected_by_reason": "Trang bị loại theo lý do",
    "average_confidence": "Độ tin cậy trung bình",
    "confidence_values": "Số giá trị đọc máy",
    "review_turnaround_median_days": "Thời gian duyệt (trung vị, ngày)",
    "reviewed_records": "Hồ sơ đã duyệt",
    "key": "Mã chỉ tiêu",
    "title": "Chỉ tiêu",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "max_points": "Điểm tối đa",
    "points_rule": "Cách tính điểm",
    "target_percent": "Mục tiêu (%)",
    "period_rule": "Cách xếp hồ sơ vào kỳ",
    "dossier_code": "Mã hồ sơ",
    "received_at": "Thời điểm tiếp nhận (giờ Việt Nam)",
    "period_date": "Ngày tính vào kỳ",
    "paper_result_required": "Yêu cầu trả kết quả giấy",
    "result_file": "Tệp kết quả",
    "item": "Mục",
    "value": "Nội dung",
}
_PARTS_VI = {
    "numerator": "tử số",
    "denominator": "mẫu số",
    "rate": "tỷ lệ (%)",
    "points": "điểm",
    "num": "tính vào tử số",
    "den": "tính vào mẫu số",
}

_LEVELS = {
    "vi": {"all": "Toàn bộ", "province": "Tỉnh/thành phố", "unit": "Đơn vị"},
    "en": {"all": "all", "province": "province", "unit": "unit"},
}

# The HTML report's sentences. ``{…}`` are filled in by sohoa.reports.html.
_TEXT = {
    "vi": {
        "title": "Chỉ tiêu số hóa",
        "all_units": "tất cả đơn vị",
        "scope_unit": "đơn vị {code}",
        "scope_province": "tỉnh/thành phố {code}",
        "intro": "Kỳ báo cáo từ ngày {first} đến hết ngày {last} (giờ Việt Nam). "
        "Lập lúc {generated} (giờ Việt Nam) bằng sohoa.",
        "headline": "Kết quả so với mục tiêu",
        "totals": "{dossiers} hồ sơ; tổng điểm {points} / 12.",
        "card": "mục tiêu {target} % · {num} / {den} hồ sơ · {points} / {max} điểm",
        "trend": "Diễn biến theo tháng",
        "ranking": "Xếp hạng đơn vị",
        "ranking_note": "Theo tổng điểm (tối đa 12), rồi theo tỷ lệ hồ sơ có kết quả điện tử.",
        "provinces": "Tỉnh/thành phố (theo đơn vị hành chính hiện nay)",
        "progress": "Tiến độ số hóa sổ hộ tịch",
        "progress_trimmed": "Chỉ có dòng của tỉnh/thành phố; dòng của từng đơn vị, loại sổ "
        "và năm có trong báo cáo XLSX và CSV.",
        "quality": "Chất lượng dữ liệu",
        "definitions": "Cách tính các chỉ tiêu",
        "definition": "<b>{title}</b> (tối đa {max} điểm, mục tiêu {target} %)",
        "definition_body": "Tử số: {num}.<br>Mẫu số: {den}.<br>Điểm: {points}. "
        "Mẫu số bằng 0 thì không có tỷ lệ (—), không phải 0.",
        "points_rule": "đủ điểm khi tỷ lệ từ {full} % trở lên; thấp hơn thì điểm = tỷ lệ × {max}"
        " ÷ {full} %",
        "period_rule": "Hồ sơ tính vào kỳ theo thời điểm tiếp nhận (giờ Việt Nam); hồ sơ "
        "không có thời điểm tiếp nhận tính theo ngày ghi trong mã hồ sơ (…-YYMMDD-NNNN) và "
        "không tính vào mẫu số của tỷ lệ sử dụng lại.",
        "rounding": "Tỷ lệ là phần trăm làm tròn 2 chữ số thập phân; tỷ lệ của một tỉnh là "
        "tổng tử số chia tổng mẫu số của các đơn vị, các xã cũ được quy về tỉnh hiện nay. "
        "Tiến độ sổ: số mục đã số hóa ÷ số mục khai báo của các quyển đã tải lên có khai báo "
        "số mục, tính đến hết kỳ.",
        "unit_province": "Đơn vị / tỉnh",
        "unit": "Đơn vị",
        "province": "Tỉnh/thành phố",
        "units": "Số đơn vị",
        "none": "—",
        "yes": "có",
        "no": "không",
        "generated_at": "Thời điểm lập (giờ Việt Nam)",
        "period": "Kỳ báo cáo",
        "period_start": "Từ ngày",
        "period_end": "Đến hết ngày",
        "scope": "Phạm vi",
        "dossiers_without_any_date": "Hồ sơ không xếp được vào kỳ nào (không có ngày)",
    },
    "en": {
        "title": "Digitization KPIs",
        "all_units": "all units",
        "scope_unit": "unit {code}",
        "scope_province": "province {code}",
        "intro": "Period {first} to {last} inclusive (Vietnam time). Generated {generated} "
        "(Vietnam time) by sohoa.",
        "headline": "Headline figures against targets",
        "totals": "{dossiers} dossiers; total points {points} of 12.",
        "card": "target {target} % · {num} / {den} dossiers · {points} of {max} points",
        "trend": "Trend by month",
        "ranking": "Units ranked",
        "ranking_note": "By total points (max 12), then electronic-results rate.",
        "provinces": "Provinces (today's units)",
        "progress": "Civil-register progress",
        "progress_trimmed": "Province rows only; the row of every unit, book type and year "
        "is in the XLSX and CSV reports.",
        "quality": "Data quality",
        "definitions": "Definitions",
        "definition": "<b>{title}</b> (max {max} points, target {target} %)",
        "definition_body": "Numerator: {num}.<br>Denominator: {den}.<br>Points: {points}. "
        "A zero denominator gives no figure (—), not 0.",
        "points_rule": "full at >= {full} %, else rate x {max} / {full} %",
        "period_rule": "A dossier counts in the period (Vietnam time) of its received_at; one "
        "without received_at counts in the period of the receipt date its dossier code "
        "carries (…-YYMMDD-NNNN), and never in the reuse rate's denominator.",
        "rounding": "Rates are percentages rounded to 2 decimals; a province's rate is its "
        "summed numerators over its summed denominators, with historical communes converted "
        "to today's provinces. Register progress: entries digitized ÷ entries declared for "
        "the uploaded books that declare a count, up to the end of the period.",
        "unit_province": "unit / province",
        "unit": "unit",
        "province": "province",
        "units": "units",
        "none": "—",
        "yes": "yes",
        "no": "no",
        "generated_at": "generated at (Vietnam time)",
        "period": "period",
        "period_start": "first day",
        "period_end": "last day",
        "scope": "scope",
        "dossiers_without_any_date": "dossiers no period can hold (no date)",
    },
}


@dataclass(frozen=True)
class Words:
    """Everything language-dependent of one report."""

    lang: str

    @property
    def decimal(self) -> str:
        return "," if self.lang == "vi" else "."

    @property
    def csv_delimiter(self) -> str:
        """``;`` beside a decimal comma, as spreadsheets set to Vietnamese expect."""
        return ";" if self.lang == "vi" else ","

    def text(self, key: str, **values: Any) -> str:
        template = _TEXT[self.lang][key]
        return template.format(**values) if values else template

    def indicator(self, key: str) -> IndicatorWords:
        return INDICATOR_WORDS[self.lang][key]

    def table(self, name: str) -> str:
        return _TABLES[self.lang][name]

    def column(self, key: str) -> str:
        """The heading of a column key; indicator columns read "<indicator> – <part>"."""
        if self.lang == "en":
            return key
        if key in _COLUMNS_VI:
            return _COLUMNS_VI[key]
        for i in INDICATORS:
            if key == i.key:
                return f"{INDICATOR_WORDS['vi'][i.key].title} – {_PARTS_VI['rate']}"
            if key.startswith(i.key + "_") and key[len(i.key) + 1 :] in _PARTS_VI:
                part = _PARTS_VI[key[len(i.key) + 1 :]]
                return f"{INDICATOR_WORDS['vi'][i.key].title} – {part}"
        raise KeyError(f"no Vietnamese heading for the report column {key!r}")

    def heading(self, key: str) -> str:
        """A column heading for a page (the HTML report): English in words, not keys."""
        return self.column(key) if self.lang != "en" else key.replace("_", " ")

    def level(self, level: str | None) -> str:
        return _LEVELS[self.lang].get(level or "", level or "")

    def book_type(self, book_type: str | None) -> str:
        if self.lang == "en" or not book_type:
            return book_type or ""
        return DOC_TYPE_LABELS.get(book_type, book_type)

    def number(self, value: float | int | None, digits: int | None = 2) -> str:
        """``66,67`` / ``66.67``; integers grouped in Vietnamese (``1.234``); "—" for none.
        ``digits=None`` keeps the value's own digits (for files people compute with)."""
        if value is None:
            return self.text("none")
        if isinstance(value, bool):
            return self.text("yes" if value else "no")
        if isinstance(value, int):
            return f"{value:,}".replace(",", "." if self.lang == "vi" else ",")
        shown = repr(float(value)) if digits is None else f"{value:.{digits}f}"
        return shown.replace(".", self.decimal)

    def percent(self, value: float | None) -> str:
        return self.text("none") if value is None else f"{self.number(value)} %"

    def day(self, value: date | str) -> str:
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()

    def time(self, value: datetime | str | None) -> str:
        """A timestamp in Vietnam time: ``24/11/2026 14:05`` (vi), ``2026-11-24 14:05``."""
        if not value:
            return ""
        shown = vietnam_time(value)
        if self.lang == "vi":
            return shown
        d, t = shown.split(" ")
        dd, mm, yyyy = d.split("/")
        return f"{yyyy}-{mm}-{dd} {t}"

    def month(self, month: str) -> str:
        """``2024-05`` -> ``05/2024`` (vi) or as it is (en)."""
        if self.lang == "en":
            return month
        year, mm = month.split("-")
        return f"{mm}/{year}"

    def period(self, period: Period | str) -> str:
        return period_name(period, self.lang)

    def points_rule(self, max_points: int) -> str:
        return self.text("points_rule", full=FULL_POINTS_AT, max=max_points)


def words(lang: str = DEFAULT_LANG) -> Words:
    if lang not in LANGS:
        raise ValueError(f"unknown report language {lang!r}; use {' or '.join(LANGS)}")
    return Words(lang)


def period_name(period: Period | str, lang: str = DEFAULT_LANG) -> str:
    """ "Quý IV/2026", "Tháng 5/2026", "Năm 2026" (vi); "Q4 2026", "May 2026", "2026" (en)."""
    per = parse_period(period) if isinstance(period, str) else period
    label = per.label
    year = label[:4]
    if "-Q" in label:
        q = int(label[-1])
        return f"Quý {_ROMAN[q - 1]}/{year}" if lang == "vi" else f"Q{q} {year}"
    if len(label) == 7:
        m = int(label[5:])
        return f"Tháng {m}/{year}" if lang == "vi" else f"{_MONTHS_EN[m - 1]} {year}"
    return f"Năm {year}" if lang == "vi" else year


def names(period: Period) -> dict[str, Any]:
    """The labels a JSON report carries beside its English keys, in both languages."""
    return {
        lang: {
            "period": period_name(period, lang),
            "indicators": {i.key: INDICATOR_WORDS[lang][i.key].title for i in INDICATORS},
        }
        for lang in LANGS
    }
