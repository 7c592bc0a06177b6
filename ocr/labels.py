"""The printed labels of each document type (docs/documents.md), with their variants.

Kept as plain data so a new form variant is a one-line change. Order matters only for
readability; matching always prefers the longest label ("Quyển số" before "Số").
Fields of a person named by a section heading (mother, father, husband, wife) use the
generic labels below, prefixed by the section they fall in.
"""

from __future__ import annotations

# Extracts and copies ("Trích lục ...", "(bản sao)") are the same record: an embassy's
# extract prints its title on two lines, "TRÍCH LỤC" above "GHI VÀO SỔ HỘ TỊCH VIỆC ...".
TITLES: dict[str, list[str]] = {
    "birth": [
        "Giấy khai sinh",
        "Giấy khai sinh (bản chính)",
        "Trích lục khai sinh",
        "Ghi vào sổ hộ tịch việc khai sinh",
    ],
    "death": ["Trích lục khai tử", "Giấy chứng tử", "Ghi vào sổ hộ tịch việc khai tử"],
    "marriage": [
        "Giấy chứng nhận kết hôn",
        "Trích lục kết hôn",
        "Ghi vào sổ hộ tịch việc kết hôn",
    ],
}
DOSSIER_MARKERS = ["Mã hồ sơ"]

PERSON = {
    "full_name": ["Họ, chữ đệm, tên", "Họ và tên", "Họ tên", "Tên họ"],
    "date_of_birth": ["Ngày, tháng, năm sinh", "Sinh ngày"],
    "date_of_birth_words": ["Ghi bằng chữ", "Bằng chữ"],
    "sex": ["Giới tính"],
    "ethnicity": ["Dân tộc"],
    "nationality": ["Quốc tịch"],
    "personal_id": ["Số định danh cá nhân", "Số CCCD", "Số CMND"],
    # An identity paper's line ("Thẻ căn cước công dân số 0..., cấp ngày ..."): a name of
    # its own, so that a person's two ID lines are not taken for the next person's.
    "id_paper": ["Giấy tờ tùy thân"],
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
    "registration_date": [
        "Ngày, tháng, năm đăng ký",
        "Đăng ký ngày",
        "Ngày đăng ký",
        "Ngày, tháng, năm ghi vào sổ",
        "Ngày ghi vào sổ",
    ],
    # Lines of extracts and copies that are nobody's field: the copy's own date ("Làm
    # tại ..., ngày ..."), its source, remarks.
    "_copy": ["Sao từ Sổ đăng ký", "Sao từ sổ", "Ghi chú", "Làm tại"],
    # A registration made abroad names the foreign paper it rests on ("Theo giấy tờ số:
    # 90776 ngày 26/5/2022") after the foreign authority: a line of no field, which must
    # end the place before it.
    "_foreign_paper": ["Theo giấy tờ số"],
}
# The declarant (who came to register) and the proof they showed: a block that fills
# no field. It ends at the registration's labels or at a person's heading.
DECLARANT = {
    "_declarant": [
        "Họ, chữ đệm, tên người đi khai sinh",
        "Họ và tên người đi khai sinh",
        "Người đi khai sinh",
        "Họ, chữ đệm, tên người đi khai tử",
        "Họ và tên người đi khai tử",
        "Người đi khai tử",
        "Họ, chữ đệm, tên người yêu cầu",
        "Họ và tên người yêu cầu",
    ],
    "_relation": ["Quan hệ với người được khai sinh", "Quan hệ với người chết"],
}

# Section headings: a label that opens a person's block; the value after it is that
# person's full name.
SECTIONS: dict[str, dict[str, list[str]]] = {
    "birth": {
        "mother": ["Họ, chữ đệm, tên người mẹ", "Họ và tên mẹ", "Họ tên mẹ", "Con bà"],
        "father": ["Họ, chữ đệm, tên người cha", "Họ và tên cha", "Họ tên cha", "Con ông"],
    },
    "marriage": {
        "husband": [
            "Họ và tên chồng",
            "Thông tin người chồng",
            "Họ, chữ đệm, tên chồng",
            "Họ, chữ đệm, tên người chồng",
        ],
        "wife": [
            "Họ và tên vợ",
            "Thông tin người vợ",
            "Họ, chữ đệm, tên vợ",
            "Họ, chữ đệm, tên người vợ",
        ],
    },
}

FIELDS: dict[str, dict[str, list[str]]] = {
    "birth": {
        **PERSON,
        "place_of_birth": ["Nơi sinh", "Sinh tại", "Tại"],
        "hometown": ["Quê quán"],
        "registration_place": [
            "Nơi đăng ký khai sinh",
            "Nơi đăng ký",
            "Đăng ký khai sinh tại",
            "Đã đăng ký khai sinh tại",
            "Nơi ghi vào sổ hộ tịch",
        ],
        **REGISTRATION,
        **PARENT,
        **DECLARANT,
        # A newborn shows no identity paper: on a birth record, that line is the
        # declarant's, and one real page took the child's ID from it.
        "id_paper": [],
        "_declarant_id": ["Giấy tờ tùy thân"],
    },
    "death": {
        **PERSON,
        "date_of_death": ["Đã chết vào lúc", "Chết ngày", "Ngày, tháng, năm chết", "Chết vào lúc"],
        "place_of_death": ["Nơi chết"],
        "cause_of_death": ["Nguyên nhân chết"],
        "_residence": ["Nơi cư trú cuối cùng", "Nơi cư trú", "Nơi thường trú"],
        # The death notice's number and date are not the death's: "Số Giấy báo tử ...".
        "_death_notice": [
            "Số Giấy báo tử",
            "Giấy báo tử số",
            "Số Giấy báo tử/giấy tờ thay thế Giấy báo tử",
        ],
        "registration_place": [
            "Nơi đăng ký khai tử",
            "Nơi đăng ký",
            "Đăng ký khai tử tại",
            "Đã đăng ký khai tử tại",
            "Nơi ghi vào sổ hộ tịch",
        ],
        **REGISTRATION,
        **DECLARANT,
    },
    "marriage": {
        **PERSON,
        "residence": ["Nơi cư trú", "Nơi thường trú"],
        "registration_place": [
            "Nơi đăng ký kết hôn",
            "Nơi đăng ký",
            "Đăng ký kết hôn tại",
            "Đã đăng ký kết hôn tại",
            "Nơi ghi vào sổ hộ tịch",
        ],
        **REGISTRATION,
    },
    "dossier_result": {
        "dossier_code": DOSSIER_MARKERS,
        "result_number": ["Số"],
        "applicant_name": [
            "Họ và tên",
            "Họ, chữ đệm, tên",
            "Ông/Bà",
            "Ông, Bà",
            "Ông (Bà)",
            "Họ, chữ đệm, tên người yêu cầu",
            "Họ và tên người yêu cầu",
            "Người yêu cầu",
            "Người được cấp",
            "Tên người được cấp",
        ],
        "applicant_personal_id": ["Số định danh cá nhân", "Số CCCD", "Số CMND"],
        "_residence": ["Nơi cư trú", "Nơi thường trú", "Địa chỉ"],
    },
}

# Names starting with "_" are labels read only so that their text is not taken for the
# value of the field above; they give no field of their own.

# Labels that open the declarant's block: the generic labels after them ("Giấy tờ tùy
# thân") are the declarant's, not the parent's above nor the child's.
OPENS_DECLARANT = {"_declarant", "_declarant_id", "_relation"}
# Labels that close it again (and any other block): the registration's own entries.
REGISTRATION_FIELDS = {
    "registration_place",
    "registration_date",
    "registration_number",
    "book_number",
    "_copy",
}
# Field names that are one person's entries: met twice in one person's block, the
# second is the next person's (its heading lost), never the first one's again.
PERSON_ENTRIES = {*PERSON, *PARENT, "_residence", "place_of_birth", "hometown"}
# A label read under one name that fills a field of another.
ALIASES = {"id_paper": "personal_id"}

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
        "date_of_birth": "mother_date_of_birth",
    },
    "father": {
        "full_name": "father_name",
        "birth_year": "father_birth_year",
        "ethnicity": "father_ethnicity",
        "nationality": "father_nationality",
        "residence": "father_residence",
        "date_of_birth": "father_date_of_birth",
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
    }
    | {"id_paper": "husband_personal_id"},
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
    }
    | {"id_paper": "wife_personal_id"},
}
