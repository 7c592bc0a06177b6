"""The document types of :mod:`ocr.doctypes`, each in the label variants of its eras.

A builder draws the facts (:mod:`sohoa.samples.facts`), picks the era from the
registration date, and writes the page through :class:`~sohoa.samples.form.Form`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ocr import doctypes
from ocr.datewords import date_to_words
from sohoa.samples import facts, places
from sohoa.samples.form import Form, era_of, fmt_date, upper_name
from sohoa.samples.layout import Columns, Flow, Gap, Span

DOC_TYPES = doctypes.names()  # each has a builder below, named after it


@dataclass
class Document:
    doc_type: str
    form: Form
    qr_payload: str | None = None
    stamp_text: str = "ỦY BAN NHÂN DÂN"
    info: dict = field(default_factory=dict)


def _sex_word(sex: str) -> str:
    return "Nam" if sex == "male" else "Nữ"


def _date_entry(form: Form, label: str, fld: str, d: date, tail: list[Span] | None = None) -> None:
    printed = fmt_date(d, form.rng, form.era)
    if label.lower().endswith("ngày") and printed.startswith("ngày "):
        printed = printed[len("ngày ") :]
    form.entry(label, fld, printed, d, nowrap="/" in printed or "-" in printed, tail=tail)


def _number_line(form: Form, number: str, book: str) -> None:
    form.blocks.append(
        Flow(
            [
                form.label("Số"),
                form.value("registration_number", number, number, nowrap=True),
                Span("Quyển số:", tab=0.5),
                form.value("book_number", book, book, nowrap=True),
            ]
        )
    )


def _header(form: Form, unit: places.Unit, number: str | None, book: str | None) -> None:
    """National header centred, or beside the registering authority's block (top left)."""
    if form.rng.random() < 0.5:
        form.blocks += form.national_header()
        if number and form.era == "new":
            _number_line(form, number, book or "")
        return
    left = [
        Flow([Span("ỦY BAN NHÂN DÂN", "bold")], align="center"),
        Flow([Span(unit.ward.upper(), "bold")], align="center"),
    ]
    if unit.district and form.rng.random() < 0.5:
        left.insert(2, Flow([Span(unit.district.upper(), "bold")], align="center"))
    form.blocks.append(Columns([(0.0, 0.4, left), (0.36, 1.0, form.national_header())]))
    if number and form.era == "new":
        _number_line(form, number, book or "")


def _registration(
    form: Form, kind_label: str, unit: places.Unit, reg: date, number: str, book: str
) -> None:
    place = facts.authority(unit, form.rng, form.old)
    label = kind_label if form.era == "new" or form.rng.random() < 0.5 else "Nơi đăng ký"
    # "UBND" is read as the words it stands for (issue 18): the truth spells it out.
    form.entry(label, "registration_place", place, facts.spelled_out(place), long=True)
    date_label = (
        "Ngày, tháng, năm đăng ký"
        if form.era == "new"
        else form.rng.choice(["Đăng ký ngày", "Ngày, tháng, năm đăng ký"])
    )
    _date_entry(form, date_label, "registration_date", reg)
    if form.era != "new":
        _number_line(form, number, book)


def birth(rng: random.Random, leaders: float) -> Document:
    dob = facts.event_date(rng, date(1965, 1, 1), facts.LATEST - timedelta(days=10))
    reg = facts.registration_after(rng, dob)
    era = era_of(reg)
    form = Form(rng, era=era, leaders=leaders, next_line=0.12)
    unit = places.random_unit(rng, reg)
    number, book = facts.registration_numbers(rng, reg)
    mother = facts.person(rng, "female", date(dob.year - 45, 1, 1), date(dob.year - 18, 12, 31))
    father = facts.person(rng, "male", date(dob.year - 45, 1, 1), date(dob.year - 18, 12, 31))
    child = facts.person(
        rng, None, dob, dob, ethnicity=rng.choice([father.ethnicity, mother.ethnicity])
    )
    if reg >= facts.ID_SINCE and rng.random() < 0.95:
        facts.give_id(rng, child, unit.province_code)

    _header(form, unit, number, book)
    form.title("GIẤY KHAI SINH", "(Bản chính)" if era != "new" and rng.random() < 0.5 else None)
    name_label = {
        "new": "Họ, chữ đệm, tên",
        "old": rng.choice(["Họ và tên", "Họ tên"]),
        "very_old": rng.choice(["Tên họ", "Họ và tên"]),
    }[era]
    form.entry(name_label, "full_name", child.name.upper(), child.name.upper(), style="name")
    words = date_to_words(dob, rng)
    tail = [Span("ghi bằng chữ:", "italic" if rng.random() < 0.3 else "body"), Span(words)]
    dob_label = (
        "Ngày, tháng, năm sinh"
        if era == "new"
        else rng.choice(["Sinh ngày", "Ngày, tháng, năm sinh"])
    )
    _date_entry(
        form,
        dob_label,
        "date_of_birth",
        dob,
        tail=tail if era == "new" or rng.random() < 0.4 else None,
    )
    form.row(
        [
            ("Giới tính", "sex", _sex_word(child.sex), child.sex),
            ("Dân tộc", "ethnicity", child.ethnicity, child.ethnicity),
            ("Quốc tịch", "nationality", child.nationality, child.nationality),
        ],
        [0.0, 0.33, 0.62],
    )
    pob_unit = places.random_unit(rng, reg, unit.province_code)
    roll = rng.random()
    if roll < 0.2:
        pob = f"Bệnh viện Đa khoa {pob_unit.province}"
    elif roll < 0.4:
        pob = f"Trạm Y tế {pob_unit.text}"
    else:
        pob = pob_unit.text
    pob_label = {
        "new": "Nơi sinh",
        "old": rng.choice(["Nơi sinh", "Sinh tại"]),
        "very_old": rng.choice(["Sinh tại", "Tại", "Nơi sinh"]),
    }[era]
    form.entry(pob_label, "place_of_birth", pob, pob, long=True)
    if rng.random() < 0.8:
        home = places.random_unit(rng, reg, unit.province_code if rng.random() < 0.6 else None)
        form.entry("Quê quán", "hometown", home.text, home.text, long=True)
    if child.personal_id:
        form.entry(
            "Số định danh cá nhân", "personal_id", child.personal_id, child.personal_id, nowrap=True
        )
    parents = [("mother", mother), ("father", father)]
    if era != "new":
        parents.reverse()  # older forms list the father first
    has_father = rng.random() < 0.88
    for role, parent in parents:
        _parent(form, role, parent, reg, unit, present=role == "mother" or has_father)
    if era == "new" and rng.random() < 0.2:
        declarant = facts.person(rng, None, date(1960, 1, 1), date(dob.year - 18, 12, 31))
        form.entry("Họ, chữ đệm, tên người đi khai sinh", None, declarant.name.upper(), None)
    _registration(form, "Nơi đăng ký khai sinh", unit, reg, number, book)
    signer = facts.person(rng, None, date(1955, 1, 1), date(1995, 1, 1))
    form.signature(
        "NGƯỜI KÝ GIẤY KHAI SINH" if era == "new" else "T/M ỦY BAN NHÂN DÂN",
        "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)",
        signer.name,
    )
    return Document("birth", form, stamp_text=f"UBND {unit.ward.upper()}", info={"era": era})


def _parent(
    form: Form, role: str, parent: facts.Person, reg: date, unit: places.Unit, present: bool
) -> None:
    rng = form.rng
    word = "mẹ" if role == "mother" else "cha"
    label = {
        "new": f"Họ, chữ đệm, tên người {word}",
        "old": f"Họ và tên {word}",
        "very_old": "Con bà" if role == "mother" else "Con ông",
    }[form.era]
    if form.era == "old" and rng.random() < 0.3:
        label = "Con bà" if role == "mother" else "Con ông"
    if not present:
        form.blank(label)
        return
    form.entry(
        label, f"{role}_name", upper_name(parent.name, rng), parent.name.upper(), style="name"
    )
    form.row(
        [
            ("Năm sinh", f"{role}_birth_year", str(parent.dob.year), parent.dob.year),
            ("Dân tộc", f"{role}_ethnicity", parent.ethnicity, parent.ethnicity),
            ("Quốc tịch", f"{role}_nationality", parent.nationality, parent.nationality),
        ],
        [0.0, 0.33, 0.62],
    )
    home = facts.residence(rng, reg, unit.province_code if rng.random() < 0.8 else None)
    form.entry("Nơi cư trú", f"{role}_residence", home, home, long=True)


def death(rng: random.Random, leaders: float) -> Document:
    dod = facts.event_date(rng, date(1976, 1, 1), facts.LATEST - timedelta(days=5))
    reg = facts.registration_after(rng, dod, late_share=0.05)
    era = era_of(reg)
    form = Form(rng, era=era, leaders=leaders, next_line=0.12)
    unit = places.random_unit(rng, reg)
    number, book = facts.registration_numbers(rng, reg)
    age_days = round(rng.triangular(1, 100 * 365, 78 * 365))  # most deaths come late in life
    born = max(date(1900, 1, 1), dod - timedelta(days=age_days))
    who = facts.person(rng, None, born, born)
    if reg >= facts.ID_SINCE and rng.random() < 0.9:
        facts.give_id(
            rng,
            who,
            unit.province_code
            if rng.random() < 0.7
            else rng.choice(["01", "79", "38", "40", "36", "68", "92"]),
        )

    _header(form, unit, number, book)
    if era == "new":
        form.title("TRÍCH LỤC KHAI TỬ", "(Bản sao)" if rng.random() < 0.3 else None)
    else:
        form.title("GIẤY CHỨNG TỬ", "(Bản chính)" if rng.random() < 0.4 else None)
    name_label = "Họ, chữ đệm, tên" if era == "new" else rng.choice(["Họ và tên", "Họ tên"])
    form.entry(name_label, "full_name", who.name.upper(), who.name.upper(), style="name")
    dob_label = (
        "Ngày, tháng, năm sinh"
        if era == "new"
        else rng.choice(["Ngày, tháng, năm sinh", "Sinh ngày"])
    )
    _date_entry(form, dob_label, "date_of_birth", who.dob)
    form.row(
        [
            ("Giới tính", "sex", _sex_word(who.sex), who.sex),
            ("Dân tộc", "ethnicity", who.ethnicity, who.ethnicity),
            ("Quốc tịch", "nationality", who.nationality, who.nationality),
        ],
        [0.0, 0.33, 0.62],
    )
    if who.personal_id:
        form.entry(
            "Số định danh cá nhân", "personal_id", who.personal_id, who.personal_id, nowrap=True
        )
    _death_time(form, dod)
    roll = rng.random()
    home_unit = places.random_unit(rng, reg, unit.province_code)
    if roll < 0.3:
        pod = f"Bệnh viện Đa khoa {home_unit.province}"
    elif roll < 0.4:
        pod = f"Trạm Y tế {home_unit.text}"
    else:
        pod = f"{places.street_prefix(rng, home_unit)}, {home_unit.text}"
    form.entry("Nơi chết", "place_of_death", pod, pod, long=True)
    if rng.random() < 0.9:
        cause = rng.choice(facts.CAUSES_OF_DEATH)
        form.entry("Nguyên nhân chết", "cause_of_death", cause, cause)
    if rng.random() < 0.5:
        last = facts.residence(rng, reg, unit.province_code)
        form.entry("Nơi cư trú cuối cùng", None, last, None, long=True)
    _registration(form, "Nơi đăng ký khai tử", unit, reg, number, book)
    signer = facts.person(rng, None, date(1955, 1, 1), date(1995, 1, 1))
    form.signature(
        "NGƯỜI KÝ TRÍCH LỤC" if era == "new" else "T/M ỦY BAN NHÂN DÂN",
        "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)",
        signer.name,
    )
    return Document("death", form, stamp_text=f"UBND {unit.ward.upper()}", info={"era": era})


def _death_time(form: Form, dod: date) -> None:
    rng = form.rng
    label = (
        "Đã chết vào lúc"
        if form.era == "new"
        else rng.choice(["Chết ngày", "Ngày, tháng, năm chết", "Đã chết vào lúc"])
    )
    if label != "Chết ngày" and rng.random() < 0.6:
        hh = rng.randint(0, 23)
        mm = rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50, rng.randint(0, 59)])
        form.fields["time_of_death"] = f"{hh:02d}:{mm:02d}"
        spans = [
            form.label(label),
            Span(f"{hh:02d} giờ {mm:02d} phút", "value", "time_of_death", nowrap=True),
            Span(",", "value", glue=True),
            form.value(
                "date_of_death",
                f"ngày {dod.day:02d} tháng {dod.month:02d} năm {dod.year}",
                dod,
                nowrap=True,
            ),
        ]
        form.blocks.append(Flow(spans))
        return
    _date_entry(form, label, "date_of_death", dod)


def marriage(rng: random.Random, leaders: float) -> Document:
    reg = facts.event_date(rng, date(1976, 1, 1))
    era = era_of(reg)
    form = Form(rng, era=era, leaders=leaders, next_line=0.1)
    unit = places.random_unit(rng, reg)
    number, book = facts.registration_numbers(rng, reg)
    year = timedelta(days=365)
    husband = facts.person(rng, "male", reg - 60 * year, reg - 20 * year)
    wife = facts.person(rng, "female", reg - 55 * year, reg - 18 * year)
    for who in (husband, wife):
        if reg >= facts.ID_SINCE and rng.random() < 0.9:
            facts.give_id(
                rng,
                who,
                unit.province_code
                if rng.random() < 0.6
                else places.random_unit(rng, date(2025, 1, 1)).province_code,
            )

    _header(form, unit, number, book)
    form.title("GIẤY CHỨNG NHẬN KẾT HÔN")
    if era == "new":
        form.next_line = 0.35  # narrow columns push values under their labels
        columns = []
        for role, who, heading in (
            ("husband", husband, "Thông tin người chồng"),
            ("wife", wife, "Thông tin người vợ"),
        ):
            with form.into([Flow([Span(heading, "bold")], align="center")]) as blocks:
                _spouse(form, role, who, reg, unit, label_name="Họ, chữ đệm, tên")
            columns.append(blocks)
        form.blocks.append(Columns([(0.0, 0.48, columns[0]), (0.52, 1.0, columns[1])]))
        form.blocks.append(Gap(0.3))
        form.next_line = 0.1
    else:
        _spouse(form, "husband", husband, reg, unit, label_name="Họ và tên chồng")
        _spouse(form, "wife", wife, reg, unit, label_name="Họ và tên vợ")
    _registration(form, "Nơi đăng ký", unit, reg, number, book)
    signer = facts.person(rng, None, date(1955, 1, 1), date(1995, 1, 1))
    couple = [
        Flow([Span("Chồng", "bold"), Span("Vợ", "bold", tab=0.55)], space_before=0.5),
        Flow(
            [Span("(Ký, ghi rõ họ tên)", "small"), Span("(Ký, ghi rõ họ tên)", "small", tab=0.55)]
        ),
    ]
    form.signature(
        "NGƯỜI KÝ GIẤY CHỨNG NHẬN" if era == "new" else "T/M ỦY BAN NHÂN DÂN",
        "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)",
        signer.name,
        left=couple,
    )
    return Document("marriage", form, stamp_text=f"UBND {unit.ward.upper()}", info={"era": era})


def _spouse(
    form: Form, role: str, who: facts.Person, reg: date, unit: places.Unit, label_name: str
) -> None:
    rng = form.rng
    form.entry(label_name, f"{role}_full_name", who.name.upper(), who.name.upper(), style="name")
    _date_entry(form, "Ngày, tháng, năm sinh", f"{role}_date_of_birth", who.dob)
    if form.era == "new":
        form.entry("Dân tộc", f"{role}_ethnicity", who.ethnicity, who.ethnicity)
        form.entry("Quốc tịch", f"{role}_nationality", who.nationality, who.nationality)
    else:
        form.row(
            [
                ("Dân tộc", f"{role}_ethnicity", who.ethnicity, who.ethnicity),
                ("Quốc tịch", f"{role}_nationality", who.nationality, who.nationality),
            ],
            [0.0, 0.45],
        )
    home = facts.residence(rng, reg, unit.province_code if rng.random() < 0.8 else None)
    label = "Nơi cư trú" if form.era == "new" else rng.choice(["Nơi thường trú", "Nơi cư trú"])
    form.entry(label, f"{role}_residence", home, home, long=True)
    if who.personal_id:
        label = "Số định danh cá nhân" if rng.random() < 0.8 else "Giấy tờ tùy thân"
        form.entry(label, f"{role}_personal_id", who.personal_id, who.personal_id, nowrap=True)


# --- dossier results -------------------------------------------------------------------

_RESULTS = [
    ("QUYẾT ĐỊNH", "QĐ-UBND", "Về việc cấp giấy phép kinh doanh dịch vụ"),
    ("QUYẾT ĐỊNH", "QĐ-UBND", "Về việc công nhận hộ gia đình văn hóa"),
    ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "UBND-XNTTHN", None),
    ("GIẤY PHÉP XÂY DỰNG", "GPXD", "(Sử dụng cho nhà ở riêng lẻ)"),
    ("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "GCN-HKD", None),
    ("TRÍCH LỤC THAY ĐỔI, CẢI CHÍNH HỘ TỊCH", "TLCC", None),
    ("GIẤY XÁC NHẬN", "GXN-UBND", "Về việc xác nhận thông tin cư trú"),
]
_RECITALS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy định "
    "chi tiết một số điều và biện pháp thi hành Luật Hộ tịch;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện "
    "cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;",
    "Xét đề nghị của công chức tư pháp - hộ tịch và hồ sơ của người yêu cầu,",
]


def dossier_code(rng: random.Random, province_code: str, received: date) -> str:
    """docs/documents.md: unit code, receipt date as YYMMDD, four-digit sequence."""
    middle = "00" if rng.random() < 0.6 else f"{rng.randint(1, 60):02d}"
    unit_code = f"000.{middle}.{rng.randint(1, 45):02d}.H{province_code}"
    return f"{unit_code}-{received:%y%m%d}-{rng.randint(1, 2500):04d}"


def dossier_result(rng: random.Random, leaders: float) -> Document:
    issued = facts.random_date(rng, date(2019, 1, 1), facts.LATEST)
    form = Form(rng, era="new", leaders=leaders * 0.5, next_line=0.05)
    unit = places.random_unit(rng, issued)
    level = unit.district if unit.district and rng.random() < 0.6 else unit.ward
    authority_lines = ["ỦY BAN NHÂN DÂN", level.upper()]
    title, suffix, subtitle = rng.choice(_RESULTS)
    number = f"{rng.randint(1, 2400)}/{suffix}"
    received = issued - timedelta(days=rng.randint(0, 25))
    code = dossier_code(rng, unit.province_code, received)
    applicant = facts.person(rng, None, date(1945, 1, 1), issued - timedelta(days=365 * 18))
    facts.give_id(
        rng,
        applicant,
        unit.province_code
        if rng.random() < 0.6
        else places.random_unit(rng, date(2025, 1, 1)).province_code,
    )

    form.fields["issuing_authority"] = " ".join(authority_lines)
    left = [
        Flow([Span(line, "bold", "issuing_authority")], align="center") for line in authority_lines
    ]
    left += [
        Gap(0.15),
        Flow(
            [Span("Số:"), form.value("result_number", number, number, nowrap=True)], align="center"
        ),
    ]
    words = f"ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}"
    right = [
        *form.national_header(),
        Gap(0.15),
        Flow(
            [
                Span(f"{places.short_name(level)},", "italic"),
                form.value("result_date", words, issued, style="italic"),
            ],
            align="center",
        ),
    ]
    form.blocks.append(Columns([(0.0, 0.4, left), (0.36, 1.0, right)]))
    form.fields["document_title"] = title
    form.blocks.append(
        Flow([Span(title, "title", "document_title")], align="center", space_before=0.8)
    )
    if subtitle:
        form.blocks.append(Flow([Span(subtitle, "subtitle")], align="center"))
    form.blocks.append(Gap(0.4))
    for recital in rng.sample(_RECITALS, k=rng.randint(1, 3)):
        form.blocks.append(Flow([Span(recital, "italic")], indent=0.0))
    form.entry("Mã hồ sơ", "dossier_code", code, code, nowrap=True)
    name_label = rng.choice(["Họ và tên", "Họ, chữ đệm, tên", "Ông/Bà"])
    form.entry(
        name_label, "applicant_name", applicant.name.upper(), applicant.name.upper(), style="name"
    )
    form.entry("Ngày sinh", None, applicant.dob.strftime("%d/%m/%Y"), None)
    form.entry(
        "Số định danh cá nhân",
        "applicant_personal_id",
        applicant.personal_id,
        applicant.personal_id,
        nowrap=True,
    )
    home = facts.residence(rng, issued, unit.province_code)
    form.entry("Nơi cư trú", None, home, None, long=True)
    form.blocks.append(
        Flow(
            [
                Span("Điều 1.", "bold"),
                Span(
                    "Người được cấp có trách nhiệm thực hiện đúng các quy định hiện hành "
                    "của pháp luật. Kết quả này có hiệu lực kể từ ngày ký."
                ),
            ],
            space_before=0.3,
        )
    )
    signer = facts.person(rng, None, date(1955, 1, 1), date(1990, 1, 1))
    recipients = [
        Flow([Span("Nơi nhận:", "bold")], space_before=0.5),
        Flow([Span("- Như trên;", "small")]),
        Flow([Span("- Lưu: VT.", "small")]),
    ]
    heading = rng.choice(["CHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"])
    form.signature(heading, "(Ký, đóng dấu)", signer.name, left=recipients)
    return Document(
        "dossier_result",
        form,
        qr_payload=code if rng.random() < 0.5 else None,
        stamp_text=" ".join(authority_lines),
        info={"era": "new"},
    )
