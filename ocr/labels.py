"""The printed labels of each document type (docs/documents.md), with their variants.

Kept as plain data so a new form variant is a one-line change. Order matters only for
readability; matching always prefers the longest label ("Quyển số" before "Số").
Fields of a person named by a section heading (mother, father, husband, wife) use the
generic labels below, prefixed by the section they fall in.
"""

from __future__ import annotations

TITLES: dict[str, list[str]] = {
    "birth": ["Giấy khai sinh", "Giấy khai sinh (bản chính)", "Trích lục khai sinh"],
    "death": ["Trích lục khai tử", "Giấy chứng tử"],
    "marriage": ["Giấy chứng nhận kết hôn"],
}
DOSSIER_MARKERS = ["Mã hồ sơ"]

PERSON = {
    "full_name": ["Họ, chữ đệm, tên", "Họ và tên", "Họ tên", "Tên họ"],
    "date_of_birth": ["Ngày, tháng, năm sinh", "Sinh ngày"],
    "date_of_birth_words": ["Ghi bằng chữ", "Bằng chữ"],
    "sex": ["Giới tính"],
    "ethnicity": ["Dân tộc"],
    "nationality": ["Quốc tịch"],
    "personal_id": ["Số định danh cá nhân", "Giấy tờ tùy thân", "Số CCCD", "Số CMND"],
}
PARENT = {
    "birth_year": ["Năm sinh"],
    "ethnicity": ["Dân tộc"],
    "nationality": ["Quốc tịch"],
    "residence": ["Nơi cư trú", "Nơi thường trú"],
}
REGISTRATION = {
    "registration_number": ["Số"],
    "book_number": ["Quyển số"],
    "registration_date": ["Ngày, tháng, năm đăng ký", "Đăng ký ngày", "Ngày đăng ký"],
}

# Section headings: a label that opens a person's block; the value after it is that
# person's full name.
SECTIONS: dict[str, dict[str, list[str]]] = {
    "birth": {
        "mother": ["Họ, chữ đệm, tên người mẹ", "Họ và tên mẹ", "Họ tên mẹ", "Con bà"],
        "father": ["Họ, chữ đệm, tên người cha", "Họ và tên cha", "Họ tên cha", "Con ông"],
    },
    "marriage": {
        "husband": ["Họ và tên chồng", "Thông tin người chồng"],
        "wife": ["Họ và tên vợ", "Thông tin người vợ"],
    },
}

FIELDS: dict[str, dict[str, list[str]]] = {
    "birth": {
        **PERSON,
        "place_of_birth": ["Nơi sinh", "Sinh tại", "Tại"],
        "hometown": ["Quê quán"],
        "registration_place": ["Nơi đăng ký khai sinh", "Nơi đăng ký"],
        **REGISTRATION,
        **PARENT,
        "_declarant": [
            "Họ, chữ đệm, tên người đi khai sinh",
            "Họ và tên người đi khai sinh",
            "Người đi khai sinh",
            "Họ, chữ đệm, tên người yêu cầu",
        ],
    },
    "death": {
        **PERSON,
        "date_of_death": ["Đã chết vào lúc", "Chết ngày", "Ngày, tháng, năm chết", "Chết vào lúc"],
        "place_of_death": ["Nơi chết"],
        "cause_of_death": ["Nguyên nhân chết"],
        "_residence": ["Nơi cư trú cuối cùng", "Nơi cư trú", "Nơi thường trú"],
        "registration_place": ["Nơi đăng ký khai tử", "Nơi đăng ký"],
        **REGISTRATION,
        "_declarant": [
            "Họ, chữ đệm, tên người đi khai tử",
            "Họ và tên người đi khai tử",
            "Người đi khai tử",
            "Họ, chữ đệm, tên người yêu cầu",
        ],
    },
    "marriage": {
        **PERSON,
        "residence": ["Nơi cư trú", "Nơi thường trú"],
        "registration_place": ["Nơi đăng ký kết hôn", "Nơi đăng ký"],
        **REGISTRATION,
    },
    "dossier_result": {
        "dossier_code": DOSSIER_MARKERS,
        "result_number": ["Số"],
        "applicant_name": ["Họ và tên", "Họ, chữ đệm, tên", "Ông/Bà", "Ông, Bà", "Ông (Bà)"],
        "applicant_personal_id": ["Số định danh cá nhân", "Số CCCD", "Số CMND"],
        "_residence": ["Nơi cư trú", "Nơi thường trú", "Địa chỉ"],
    },
}

# Names starting with "_" are labels read only so that their text is not taken for the
# value of the field above; they give no field of their own.

# Labels after which the generic labels no longer belong to the parent above: the
# declarant's name is not the father's.
ENDS_SECTION = {"_declarant"}

# Fields whose value may wrap onto following unlabelled lines.
WRAPPING = {
    "place_of_birth",
    "hometown",
    "residence",
    "registration_place",
    "place_of_death",
    "cause_of_death",
    "issuing_authority",
    "document_title",
    "date_of_birth_words",
    # dates written out ("ngày 16 tháng 09 / năm 1963") and long names wrap in
    # the narrow columns of the marriage form
    "date_of_birth",
    "date_of_death",
    "registration_date",
    "full_name",
}

# Which fields each section may hold, and under which output name.
SECTION_FIELDS: dict[str, dict[str, str]] = {
    "mother": {
        "full_name": "mother_name",
        "birth_year": "mother_birth_year",
        "ethnicity": "mother_ethnicity",
        "nationality": "mother_nationality",
        "residence": "mother_residence",
    },
    "father": {
        "full_name": "father_name",
        "birth_year": "father_birth_year",
        "ethnicity": "father_ethnicity",
        "nationality": "father_nationality",
        "residence": "father_residence",
    },
    "husband": {
        name: f"husband_{name}"
        for name in (
            "full_name",
            "date_of_birth",
            "ethnicity",
            "nationality",
            "residence",
            "personal_id",
        )
    },
    "wife": {
        name: f"wife_{name}"
        for name in (
            "full_name",
            "date_of_birth",
            "ethnicity",
            "nationality",
            "residence",
            "personal_id",
        )
    },
}
