"""Today's forms and their copies, for the realistic profile (issue 18).

The classic builders (:mod:`sohoa.samples.documents`) draw a record's facts and print it
in the layout of its era. For a record registered since 2016, this module prints the same
facts again in one of the current generations, written from the issue's description of
real pages rather than from the reader's label lists:

- birth: the certificate as printed since 2020 ("Số: 210" at the top right, the "Quyển
  số" sometimes absent; the date and "ghi bằng chữ:" wrapping; sex, ethnicity and
  nationality on one line; a hospital and its address as place of birth; each parent's
  "Năm sinh" a full date such as 19/7/1998 on recent forms; the declarant's block with
  an identity paper whose name and numbers fill no field; "Nơi đăng ký khai sinh: UBND
  xã …, huyện …, tỉnh …"; the registration date ending in "./."), its extract "Trích lục
  khai sinh" with or without "(bản sao)", and an embassy's "Trích lục ghi vào sổ hộ tịch
  việc khai sinh";
- death and marriage: the same families (Trích lục khai tử, Trích lục kết hôn, the
  embassy's extracts, copies);
- any of them may carry a stamped "BẢN SAO" (drawn by :mod:`sohoa.samples.realistic`);
- dossier results in the standard administrative layout, mostly without "Mã hồ sơ",
  some numbered and dated by hand after signing.

Truth values are as printed, with two rules of the issue: "UBND" stands for "Ủy ban nhân
dân", and a trailing "./." is no part of a value.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ocr.datewords import date_to_words
from sohoa.samples import documents, facts, places
from sohoa.samples.documents import Document
from sohoa.samples.form import Form, canonical
from sohoa.samples.layout import Columns, Flow, Gap, Span

COMMITTEE = facts.COMMITTEE
END_MARK = "./."  # printed after the last entry of a form; no part of the value
UNIT_TYPES = ("Thành phố ", "Thị xã ", "Thị trấn ", "Huyện ", "Quận ", "Phường ", "Xã ", "Tỉnh ")
GENERATIONS = {
    "birth": {"certificate": 0.5, "extract": 0.35, "embassy": 0.15},
    "death": {"extract": 0.8, "embassy": 0.2},
    "marriage": {"certificate": 0.45, "extract": 0.4, "embassy": 0.15},
}
COPY_STAMP_SHARE = 0.25
NEWER_REDRAW = 0.45
COMMUNE_ONLY_SHARE = 0.2
FULL_PARENT_DATE_SINCE = date(2020, 7, 1)
ABROAD = [
    ("NHẬT BẢN", "Nhật Bản", ["Thành phố Osaka", "Tokyo", "Thành phố Nagoya", "Tỉnh Saitama"]),
    ("HÀN QUỐC", "Hàn Quốc", ["Thành phố Seoul", "Thành phố Busan", "Tỉnh Gyeonggi"]),
    ("CỘNG HÒA LIÊN BANG ĐỨC", "Cộng hòa Liên bang Đức", ["Berlin", "Thành phố Leipzig"]),
    ("ĐÀI LOAN (TRUNG QUỐC)", "Đài Loan (Trung Quốc)", ["Đài Bắc", "Đài Trung", "Cao Hùng"]),
    ("CỘNG HÒA SÉC", "Cộng hòa Séc", ["Praha", "Thành phố Brno"]),
    ("LIÊN BANG NGA", "Liên bang Nga", ["Moskva", "Sankt-Peterburg"]),
]
HOSPITALS = ["Bệnh viện Đa khoa", "Bệnh viện Sản Nhi", "Trung tâm Y tế", "Bệnh viện Phụ sản"]
ID_ISSUERS = [
    "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
    "Cục Cảnh sát ĐKQL cư trú và DLQG về dân cư",
    "Bộ Công an",
]


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def lower_unit_types(text: str) -> str:
    """'Xã Hà Long, Huyện Ba Vì, Tỉnh X' -> 'xã Hà Long, huyện Ba Vì, tỉnh X', as forms
    print a place after a committee's name."""
    parts = []
    for part in text.split(", "):
        for prefix in UNIT_TYPES:
            if part.startswith(prefix):
                part = prefix.lower() + part[len(prefix) :]
                break
        parts.append(part)
    return ", ".join(parts)


def _unit_of(place: str) -> str:
    """The unit chain of a registration place, without the committee's name."""
    for prefix in (COMMITTEE + " ", "UBND "):
        if place.startswith(prefix):
            return place[len(prefix) :]
    return place


def _slash_date(d: date, rng: random.Random) -> str:
    """19/7/1998 or 19/07/1998: both are seen on the same generation of form."""
    if rng.random() < 0.5:
        return f"{d.day}/{d.month}/{d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _number_top_right(form: Form, fields: dict, with_book: bool) -> None:
    """ "Số: 210" at the top right; "Quyển số" under it, or absent."""
    number = str(fields["registration_number"])
    form.blocks.append(
        Flow(
            [Span("Số:"), form.value("registration_number", number, number, nowrap=True)],
            align="right",
        )
    )
    if with_book and "book_number" in fields:
        book = str(fields["book_number"])
        form.blocks.append(
            Flow(
                [Span("Quyển số:"), form.value("book_number", book, book, nowrap=True)],
                align="right",
            )
        )


def _header(form: Form, agency: list[str] | None) -> None:
    if agency is None:
        form.blocks += form.national_header()
        return
    left = [Flow([Span(line, "bold")], align="center") for line in agency]
    form.blocks.append(Columns([(0.0, 0.42, left), (0.38, 1.0, form.national_header())]))


def _title(form: Form, lines: list[str], subtitle: str | None) -> None:
    for i, line in enumerate(lines):
        form.blocks.append(
            Flow(
                [Span(line, "title")],
                align="center",
                space_before=0.5 if i == 0 else 0.0,
                anchor="title" if i == 0 else None,
            )
        )
    if subtitle:
        form.blocks.append(Flow([Span(subtitle, "subtitle")], align="center"))
    form.blocks.append(Gap(0.3))


def _date_with_words(form: Form, label: str, field: str, d: date) -> None:
    """The date, then "ghi bằng chữ:" and the words, wrapping onto the next line."""
    rng = form.rng
    words = date_to_words(d, rng)
    words = words[0].upper() + words[1:]
    printed = f"{d.day:02d}/{d.month:02d}/{d.year}"
    form.entry(
        label,
        field,
        printed,
        d,
        nowrap=True,
        tail=[Span("ghi bằng chữ:", "italic" if rng.random() < 0.4 else "body"), Span(words)],
    )


def _sex_row(form: Form, f: dict, prefix: str = "") -> None:
    items = []
    if f"{prefix}sex" in f:
        items.append(
            (
                "Giới tính",
                f"{prefix}sex",
                "Nam" if f[f"{prefix}sex"] == "male" else "Nữ",
                f[f"{prefix}sex"],
            )
        )
    items += [
        ("Dân tộc", f"{prefix}ethnicity", f[f"{prefix}ethnicity"], f[f"{prefix}ethnicity"]),
        ("Quốc tịch", f"{prefix}nationality", f[f"{prefix}nationality"], f[f"{prefix}nationality"]),
    ]
    tabs = [0.0, 0.33, 0.62] if len(items) == 3 else [0.0, 0.45]
    form.row(items, tabs)


def _declarant(form: Form, kind: str, on: date, province_code: str) -> None:
    """Who came to register, and their identity paper: printed, never a field."""
    rng = form.rng
    who = facts.person(rng, None, date(1950, 1, 1), on - timedelta(days=365 * 19))
    facts.give_id(rng, who, province_code)
    form.entry(f"Họ, chữ đệm, tên người đi {kind}", None, who.name.upper(), None, style="name")
    issued = facts.random_date(rng, max(date(2016, 1, 1), who.dob + timedelta(days=365 * 14)), on)
    paper = rng.choice(
        [
            f"Thẻ căn cước công dân số {who.personal_id}, do {rng.choice(ID_ISSUERS)} "
            f"cấp ngày {_slash_date(issued, rng)}",
            f"Thẻ căn cước số {who.personal_id}, cấp ngày {_slash_date(issued, rng)}",
            f"Căn cước công dân số {who.personal_id} cấp ngày {_slash_date(issued, rng)}",
        ]
    )
    form.entry("Giấy tờ tùy thân", None, paper, None, long=True)
    if rng.random() < 0.3:
        form.entry(
            "Quan hệ với người được khai sinh" if kind == "khai sinh" else "Quan hệ với người chết",
            None,
            rng.choice(["Cha", "Mẹ", "Ông nội", "Bà ngoại", "Con", "Vợ"]),
            None,
        )


def _registration(form: Form, kind: str, f: dict, embassy: tuple | None) -> None:
    """Where and when: "Nơi đăng ký …: UBND xã …" or the foreign registration of an
    embassy's extract, then the date with its trailing "./."."""
    rng = form.rng
    reg = date.fromisoformat(str(f["registration_date"]))
    if embassy:
        country = embassy[1]
        authority = rng.choice(
            [f"Cơ quan có thẩm quyền của {country}", f"Chính quyền địa phương, {country}"]
        )
        label = rng.choice([f"Đăng ký {kind} tại", f"Đã đăng ký {kind} tại"])
        form.entry(label, "registration_place", authority, authority, long=True)
        foreign = reg - timedelta(days=rng.randint(30, 700))
        form.entry(
            "Theo giấy tờ số",
            None,
            f"{rng.randint(100, 99999)} ngày {_slash_date(foreign, rng)}",
            None,
        )
        date_label = "Ngày, tháng, năm ghi vào sổ"
    else:
        chain = lower_unit_types(_unit_of(str(f["registration_place"])))
        if rng.random() < COMMUNE_ONLY_SHARE:
            chain = chain.split(", ")[0]  # "UBND xã Hữu Liên": the book says which province
        short = rng.random() < 0.65
        printed = f"{'UBND' if short else COMMITTEE} {chain}"
        form.entry(
            f"Nơi đăng ký {kind}",
            "registration_place",
            printed,
            facts.spelled_out(printed),
            long=True,
        )
        date_label = "Ngày, tháng, năm đăng ký"
    printed = (
        f"{reg.day:02d}/{reg.month:02d}/{reg.year}"
        if rng.random() < 0.6
        else f"ngày {reg.day:02d} tháng {reg.month:02d} năm {reg.year}"
    )
    tail = [Span(END_MARK, "value", glue=True)] if rng.random() < 0.75 else None
    form.entry(date_label, "registration_date", printed, reg, nowrap=True, tail=tail)


def _parent_block(form: Form, role: str, f: dict, reg: date) -> None:
    rng = form.rng
    word = "mẹ" if role == "mother" else "cha"
    label = f"Họ, chữ đệm, tên người {word}"
    if f"{role}_name" not in f:
        form.blank(label)
        return
    form.entry(label, f"{role}_name", str(f[f"{role}_name"]), f[f"{role}_name"], style="name")
    year = int(f[f"{role}_birth_year"])
    full = reg >= FULL_PARENT_DATE_SINCE and rng.random() < 0.75
    if full:
        born = facts.random_date(rng, date(year, 1, 1), date(year, 12, 31))
        printed = _slash_date(born, rng)
        form.fields[f"{role}_date_of_birth"] = born.isoformat()
        form.same_box[f"{role}_date_of_birth"] = f"{role}_birth_year"
    else:
        printed = str(year)
    form.row(
        [
            ("Năm sinh", f"{role}_birth_year", printed, year),
            ("Dân tộc", f"{role}_ethnicity", f[f"{role}_ethnicity"], f[f"{role}_ethnicity"]),
            (
                "Quốc tịch",
                f"{role}_nationality",
                f[f"{role}_nationality"],
                f[f"{role}_nationality"],
            ),
        ],
        [0.0, 0.33, 0.62],
    )
    if f"{role}_residence" in f:
        home = str(f[f"{role}_residence"])
        form.entry("Nơi cư trú", f"{role}_residence", home, home, long=True)


def _hospital_place(rng: random.Random, reg: date, province_code: str | None) -> str:
    unit = places.random_unit(rng, reg, province_code)
    name = f"{rng.choice(HOSPITALS)} {lower_unit_types(unit.province)}"
    if unit.district and rng.random() < 0.5:
        name = f"{rng.choice(HOSPITALS)} {lower_unit_types(unit.district)}"
    return f"{name}, {places.street_prefix(rng, unit)}, {lower_unit_types(unit.text)}"


def _abroad(rng: random.Random) -> tuple[str, str, str]:
    upper, country, cities = rng.choice(ABROAD)
    return upper, country, f"{rng.choice(cities)}, {country}"


def _signer(form: Form, heading: str) -> None:
    signer = facts.person(form.rng, None, date(1955, 1, 1), date(1995, 1, 1))
    form.signature(heading, "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)", signer.name)


def _agency(rng: random.Random, f: dict, embassy: tuple | None) -> list[str] | None:
    if embassy:
        return [
            rng.choice(["ĐẠI SỨ QUÁN", "TỔNG LÃNH SỰ QUÁN"]),
            "NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            f"TẠI {embassy[0]}",
        ]
    if rng.random() < 0.45:
        return None
    chain = _unit_of(str(f["registration_place"])).split(", ")
    return ["ỦY BAN NHÂN DÂN", chain[0].upper()]


def _open_extract(
    base: Document,
    rng: random.Random,
    event: str,
    embassy: tuple | None,
    certificate: str | None = None,
) -> Form:
    """The top of an extract: agency and motto, "Số" at the top right, the title
    ("TRÍCH LỤC KHAI TỬ", perhaps "(BẢN SAO)"; an embassy's on two lines), or the
    ``certificate``'s own title."""
    form = Form(rng, era="new", leaders=base.form.leaders * 0.5, next_line=0.1)
    _header(form, _agency(rng, base.form.fields, embassy))
    _number_top_right(form, base.form.fields, with_book=rng.random() < 0.6)
    if certificate:
        _title(form, [certificate], None)
    elif embassy:
        _title(form, ["TRÍCH LỤC", f"GHI VÀO SỔ HỘ TỊCH VIỆC {event}"], None)
    else:
        _title(form, [f"TRÍCH LỤC {event}"], "(BẢN SAO)" if rng.random() < 0.5 else None)
    return form


# --- birth ------------------------------------------------------------------------------


def birth(base: Document, rng: random.Random) -> Document:
    f = base.form.fields
    generation = _pick(rng, GENERATIONS["birth"])
    reg = date.fromisoformat(str(f["registration_date"]))
    province = str(f.get("personal_id", "0" + "01"))[1:3]
    embassy = _abroad(rng) if generation == "embassy" else None
    certificate = "GIẤY KHAI SINH" if generation == "certificate" else None
    form = _open_extract(base, rng, "KHAI SINH", embassy, certificate)
    name = str(f["full_name"])
    form.entry("Họ, chữ đệm, tên", "full_name", name, name, style="name")
    _date_with_words(
        form, "Ngày, tháng, năm sinh", "date_of_birth", date.fromisoformat(str(f["date_of_birth"]))
    )
    _sex_row(form, f)
    if embassy:
        pob = embassy[2]
    elif rng.random() < 0.6:
        pob = _hospital_place(rng, reg, province)
    else:
        pob = str(f["place_of_birth"])
    form.entry("Nơi sinh", "place_of_birth", pob, pob, long=True)
    if "hometown" in f:
        form.entry("Quê quán", "hometown", str(f["hometown"]), f["hometown"], long=True)
    if "personal_id" in f:
        pid = str(f["personal_id"])
        form.entry("Số định danh cá nhân", "personal_id", pid, pid, nowrap=True)
    for role in ("mother", "father"):
        _parent_block(form, role, f, reg)
    if not embassy and rng.random() < 0.85:
        _declarant(form, "khai sinh", reg, province)
    _registration(form, "khai sinh", f, embassy)
    _signer(
        form, "NGƯỜI KÝ GIẤY KHAI SINH" if generation == "certificate" else "NGƯỜI KÝ TRÍCH LỤC"
    )
    return _finish(base, form, generation, embassy)


# --- death ------------------------------------------------------------------------------


def death(base: Document, rng: random.Random) -> Document:
    f = base.form.fields
    generation = _pick(rng, GENERATIONS["death"])
    reg = date.fromisoformat(str(f["registration_date"]))
    province = str(f.get("personal_id", "001"))[1:3]
    embassy = _abroad(rng) if generation == "embassy" else None
    form = _open_extract(base, rng, "KHAI TỬ", embassy)
    name = str(f["full_name"])
    form.entry("Họ, chữ đệm, tên", "full_name", name, name, style="name")
    dob = date.fromisoformat(str(f["date_of_birth"]))
    form.entry(
        "Ngày, tháng, năm sinh",
        "date_of_birth",
        f"{dob.day:02d}/{dob.month:02d}/{dob.year}",
        dob,
        nowrap=True,
    )
    _sex_row(form, f)
    if "personal_id" in f:
        pid = str(f["personal_id"])
        form.entry("Số định danh cá nhân", "personal_id", pid, pid, nowrap=True)
    dod = date.fromisoformat(str(f["date_of_death"]))
    words = f"ngày {dod.day:02d} tháng {dod.month:02d} năm {dod.year}"
    if "time_of_death" in f:
        hh, mm = str(f["time_of_death"]).split(":")
        form.fields["time_of_death"] = str(f["time_of_death"])
        form.blocks.append(
            Flow(
                [
                    form.label("Đã chết vào lúc"),
                    Span(f"{hh} giờ {mm} phút", "value", "time_of_death", nowrap=True),
                    Span(",", "value", glue=True),
                    form.value("date_of_death", words, dod, nowrap=True),
                ]
            )
        )
    else:
        form.entry("Đã chết vào lúc", "date_of_death", words, dod, nowrap=True)
    pod = embassy[2] if embassy else str(f["place_of_death"])
    form.entry("Nơi chết", "place_of_death", pod, pod, long=True)
    if "cause_of_death" in f:
        form.entry(
            "Nguyên nhân chết", "cause_of_death", str(f["cause_of_death"]), f["cause_of_death"]
        )
    if not embassy and rng.random() < 0.6:
        notice = reg - timedelta(days=rng.randint(0, 10))
        form.entry(
            "Số Giấy báo tử",
            None,
            f"{rng.randint(1, 999)}/GBT ngày {_slash_date(notice, rng)}",
            None,
        )
    if not embassy and rng.random() < 0.8:
        _declarant(form, "khai tử", reg, province)
    _registration(form, "khai tử", f, embassy)
    _signer(form, "NGƯỜI KÝ TRÍCH LỤC")
    return _finish(base, form, generation, embassy)


# --- marriage ---------------------------------------------------------------------------


def marriage(base: Document, rng: random.Random) -> Document:
    generation = _pick(rng, GENERATIONS["marriage"])
    if generation == "certificate":
        return _finish(base, None, generation)  # the two-column certificate of documents.py
    f = base.form.fields
    embassy = _abroad(rng) if generation == "embassy" else None
    form = _open_extract(base, rng, "KẾT HÔN", embassy)
    for role, word in (("husband", "chồng"), ("wife", "vợ")):
        name = str(f[f"{role}_full_name"])
        form.entry(f"Họ, chữ đệm, tên người {word}", f"{role}_full_name", name, name, style="name")
        dob = date.fromisoformat(str(f[f"{role}_date_of_birth"]))
        form.entry(
            "Ngày, tháng, năm sinh",
            f"{role}_date_of_birth",
            f"{dob.day:02d}/{dob.month:02d}/{dob.year}",
            dob,
            nowrap=True,
        )
        _sex_row(form, f, prefix=f"{role}_")
        home = str(f[f"{role}_residence"])
        form.entry("Nơi cư trú", f"{role}_residence", home, home, long=True)
        if f"{role}_personal_id" in f:
            pid = str(f[f"{role}_personal_id"])
            form.entry("Số định danh cá nhân", f"{role}_personal_id", pid, pid, nowrap=True)
    _registration(form, "kết hôn", f, embassy)
    _signer(form, "NGƯỜI KÝ TRÍCH LỤC")
    return _finish(base, form, generation, embassy)


def _finish(
    base: Document, form: Form | None, generation: str, embassy: tuple | None = None
) -> Document:
    """The document with its new page (or the base one) and what it is, for the truth."""
    rng = (form or base.form).rng
    info = {**base.info, "generation": generation}
    info["copy_stamp"] = rng.random() < COPY_STAMP_SHARE
    seal = f"ĐẠI SỨ QUÁN VIỆT NAM TẠI {embassy[0]}" if embassy else base.stamp_text
    return Document(base.doc_type, form or base.form, base.qr_payload, seal, info)


# --- dossier results --------------------------------------------------------------------

RESULTS = [
    ("QUYẾT ĐỊNH", "QĐ-UBND", "Về việc {matter}"),
    ("GIẤY PHÉP", "GP-UBND", None),
    ("GIẤY PHÉP XÂY DỰNG", "GPXD", "(Sử dụng cho nhà ở riêng lẻ)"),
    ("GIẤY XÁC NHẬN", "GXN-UBND", "Về việc {matter}"),
    ("THÔNG BÁO", "TB-UBND", "Về việc {matter}"),
    ("GIẤY CHỨNG NHẬN", "GCN-UBND", None),
]
MATTERS = [
    "công nhận hộ gia đình văn hóa",
    "cấp giấy phép kinh doanh dịch vụ ăn uống",
    "xác nhận thông tin cư trú",
    "hỗ trợ kinh phí học tập",
    "giao đất ở cho hộ gia đình",
    "cho phép chuyển mục đích sử dụng đất",
    "kết quả giải quyết thủ tục hành chính",
]
BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện "
    "cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;",
    "Xét đề nghị của Trưởng phòng Văn hóa - Xã hội tại Tờ trình số 112/TTr-VHXH;",
    "Theo đề nghị của công chức Tư pháp - Hộ tịch,",
]


def _authority(rng: random.Random, unit: places.Unit) -> tuple[list[str], str]:
    """The agency lines (top left) and the place of the dateline ("Quảng Ngãi, ngày …")."""
    roll = rng.random()
    if roll < 0.45 or not unit.district:
        level = unit.province if roll < 0.3 else unit.ward
    else:
        level = unit.district
    return ["ỦY BAN NHÂN DÂN", level.upper()], places.short_name(level)


def dossier_result(rng: random.Random, leaders: float) -> Document:
    """A result in the standard administrative layout; "Mã hồ sơ" on a quarter only; on
    two in five, the number and the day written in by hand after signing."""
    issued = facts.random_date(rng, date(2019, 1, 1), facts.LATEST)
    form = Form(rng, era="new", leaders=leaders * 0.3, next_line=0.05)
    unit = places.random_unit(rng, issued)
    agency, dateline_place = _authority(rng, unit)
    title, symbol, subtitle = rng.choice(RESULTS)
    number = str(rng.randint(1, 2400))
    by_hand = rng.random() < 0.4
    handwritten: dict[str, str] = {}

    form.fields["issuing_authority"] = canonical(" ".join(agency))
    left = [Flow([Span(line, "bold", "issuing_authority")], align="center") for line in agency]
    form.fields["result_number"] = canonical(f"{number}/{symbol}")
    if by_hand:
        handwritten["result_number"] = number
        spans = [
            Span("Số:"),
            Span(number + "  ", "value", "result_number", hand=True, nowrap=True),
            Span(f"/{symbol}", "value", "result_number", glue=True, nowrap=True),
        ]
    else:
        spans = [Span("Số:"), Span(f"{number}/{symbol}", "value", "result_number", nowrap=True)]
    left += [Gap(0.15), Flow(spans, align="center")]
    form.fields["result_date"] = issued.isoformat()
    day, rest = f"{issued.day:02d}", f"tháng {issued.month:02d} năm {issued.year}"
    date_spans = [Span(f"{dateline_place},", "italic"), Span("ngày", "italic", "result_date")]
    if by_hand and rng.random() < 0.85:
        handwritten["result_date"] = day
        date_spans.append(Span(day + "  ", "italic", "result_date", hand=True, nowrap=True))
    else:
        date_spans.append(Span(day, "italic", "result_date"))
    date_spans.append(Span(rest, "italic", "result_date", nowrap=True))
    right = [*form.national_header(), Gap(0.15), Flow(date_spans, align="center")]
    form.blocks.append(Columns([(0.0, 0.42, left), (0.38, 1.0, right)]))

    form.fields["document_title"] = title
    form.blocks.append(
        Flow(
            [Span(title, "title", "document_title")],
            align="center",
            space_before=0.8,
            anchor="title",
        )
    )
    if subtitle:
        form.blocks.append(
            Flow([Span(subtitle.format(matter=rng.choice(MATTERS)), "subtitle")], align="center")
        )
    form.blocks.append(Gap(0.3))
    for line in rng.sample(BODY, k=rng.randint(1, 3)):
        form.blocks.append(Flow([Span(line, "italic")]))
    if title == "QUYẾT ĐỊNH":
        form.blocks.append(Flow([Span("QUYẾT ĐỊNH:", "bold")], align="center", space_before=0.3))
    if rng.random() < 0.25:
        received = issued - timedelta(days=rng.randint(0, 25))
        code = documents.dossier_code(rng, unit.province_code, received)
        form.entry("Mã hồ sơ", "dossier_code", code, code, nowrap=True)
    named = rng.random() < 0.85
    if named:
        applicant = facts.person(rng, None, date(1945, 1, 1), issued - timedelta(days=365 * 18))
        facts.give_id(rng, applicant, unit.province_code)
        label = rng.choice(["Họ và tên", "Họ, chữ đệm, tên", "Ông/Bà"])
        form.entry(
            label, "applicant_name", applicant.name.upper(), applicant.name.upper(), style="name"
        )
        if rng.random() < 0.6:
            pid = applicant.personal_id or ""
            form.entry("Số định danh cá nhân", "applicant_personal_id", pid, pid, nowrap=True)
        home = facts.residence(rng, issued, unit.province_code)
        form.entry("Nơi cư trú", None, home, None, long=True)
    form.blocks.append(
        Flow(
            [
                Span("Điều 1.", "bold"),
                Span(
                    "Kết quả giải quyết thủ tục hành chính nêu trên có hiệu lực kể từ ngày ký. "
                    "Người được cấp có trách nhiệm thực hiện đúng quy định của pháp luật."
                ),
            ],
            space_before=0.3,
        )
    )
    if rng.random() < 0.6:
        form.blocks.append(
            Flow(
                [
                    Span("Điều 2.", "bold"),
                    Span(
                        "Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan chịu "
                        "trách nhiệm thi hành Quyết định này."
                    ),
                ]
            )
        )
    signer = facts.person(rng, None, date(1955, 1, 1), date(1990, 1, 1))
    recipients = [
        Flow([Span("Nơi nhận:", "bold")], space_before=0.5),
        Flow([Span("- Như Điều 2;", "small")]),
        Flow([Span("- Lưu: VT.", "small")]),
    ]
    heading = rng.choice(
        ["CHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"]
    )
    form.signature(heading, "(Ký, đóng dấu)", signer.name, left=recipients)
    info = {"era": "new", "generation": "administrative", "handwritten": handwritten}
    return Document("dossier_result", form, stamp_text=" ".join(agency), info=info)


def build(doc_type: str, rng: random.Random, leaders: float) -> Document:
    """A realistic record: the classic builder's facts, printed in a current generation
    when registered since 2016; dossier results in the administrative layout."""
    if doc_type == "dossier_result":
        return dossier_result(rng, leaders)
    base = getattr(documents, doc_type)(rng, leaders)
    forms_rng = random.Random(rng.getrandbits(64))
    # Phones photograph today's certificates more than old ones: one more draw, sometimes,
    # for a record of the current forms (about 45 % instead of 35 %).
    if base.info.get("era") != "new" and forms_rng.random() < NEWER_REDRAW:
        base = getattr(documents, doc_type)(rng, leaders)
    if base.info.get("era") != "new":
        info = {**base.info, "generation": base.info.get("era"), "copy_stamp": False}
        info["copy_stamp"] = forms_rng.random() < COPY_STAMP_SHARE
        return Document(base.doc_type, base.form, base.qr_payload, base.stamp_text, info)
    return {"birth": birth, "death": death, "marriage": marriage}[doc_type](base, forms_rng)
