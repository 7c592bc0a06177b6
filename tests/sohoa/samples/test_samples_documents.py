"""The truth of built records is canonical (docs/record.md) and internally consistent
(docs/checks.md)."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date

from ocr.datewords import words_to_date
from ocr.personal_id import birth_year_of, decode_personal_id
from sohoa.samples import documents, facts, lexicon

DATE_FIELDS = re.compile(r"(^|_)date(_|$)|date_of_")


def _iso(value: str) -> date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return date.fromisoformat(value)


def test_every_value_is_canonical(built, reference):
    ethnic = {row["name"] for row in reference("ethnic_groups.csv")}
    for doc in built:
        for name, value in doc.form.fields.items():
            if name.endswith("birth_year"):
                assert isinstance(value, int), (name, value)
                continue
            assert isinstance(value, str) and value, (name, value)
            assert value == unicodedata.normalize("NFC", value)
            assert value == " ".join(value.split()), (name, value)
            assert ".." not in value and not value.endswith(":"), (name, value)
            if name.endswith(("full_name", "_name")) and name != "document_title":
                assert value == value.upper(), (name, value)
            if name.endswith("ethnicity"):
                assert value in ethnic, value
            if name.endswith("nationality"):
                assert value == "Việt Nam"
            if name == "sex":
                assert value in ("male", "female")
            if DATE_FIELDS.search(name):
                assert _iso(value) <= facts.LATEST
            if name == "time_of_death":
                assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value)


def test_personal_ids_agree_with_birth_date_sex_and_province(built, reference):
    provinces = {row["province_code"] for row in reference("admin_units_2025-03.csv")}
    checked = 0
    for doc in built:
        f = doc.form.fields
        for prefix in ("", "husband_", "wife_", "applicant_"):
            pid = f.get(f"{prefix}personal_id")
            if pid is None:
                continue
            decoded = decode_personal_id(pid)
            assert decoded is not None, pid
            assert decoded.province_code in provinces
            if prefix == "applicant_":
                continue  # a dossier prints no birth date to compare with
            dob = _iso(f[f"{prefix}date_of_birth"])
            assert birth_year_of(decoded) == dob.year
            expected_sex = {"husband_": "male", "wife_": "female"}.get(prefix, f.get("sex"))
            assert decoded.sex == expected_sex
            checked += 1
    assert checked > 50


def test_no_personal_id_on_records_registered_before_2016(built):
    seen_old = 0
    for doc in built:
        reg = doc.form.fields.get("registration_date")
        if reg and _iso(reg) < facts.ID_SINCE:
            seen_old += 1
            assert not any(k.endswith("personal_id") for k in doc.form.fields)
    assert seen_old > 50


def test_dates_run_in_order(built):
    for doc in built:
        f = doc.form.fields
        if "registration_date" in f:
            event = f.get("date_of_death") or f.get("date_of_birth")
            if event:
                assert _iso(f["registration_date"]) >= _iso(event)
        if "date_of_death" in f:
            assert _iso(f["date_of_death"]) >= _iso(f["date_of_birth"])
        if doc.doc_type == "birth":
            born = _iso(f["date_of_birth"]).year
            for parent in ("mother", "father"):
                if f"{parent}_birth_year" in f:
                    assert 18 <= born - f[f"{parent}_birth_year"] <= 45


def _words_after_ghi_bang_chu(doc: documents.Document) -> str | None:
    for block in doc.form.blocks:
        spans = getattr(block, "spans", [])
        for i, span in enumerate(spans):
            if span.text.startswith("ghi bằng chữ"):
                return spans[i + 1].text
    return None


def test_date_in_words_reads_back_as_the_date_of_birth():
    checked = 0
    for seed in range(120):
        doc = documents.birth(random.Random(f"{seed}/content"), 0.3)
        words = _words_after_ghi_bang_chu(doc)
        if words:
            assert words_to_date(words) == _iso(doc.form.fields["date_of_birth"]), words
            checked += 1
    assert checked > 30


def test_dossier_codes_follow_spec_and_predate_the_result(built):
    pattern = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.H\d{2})-(\d{6})-(\d{4})$")
    for doc in built:
        if doc.doc_type != "dossier_result":
            continue
        f = doc.form.fields
        match = pattern.match(f["dossier_code"])
        assert match, f["dossier_code"]
        yymmdd = match.group(2)
        received = date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
        assert received <= _iso(f["result_date"])
        assert f["result_number"].split("/")[0].isdigit()


def test_names_mostly_from_the_lexicon_with_some_unseen_given_names():
    lex = lexicon.load_lexicon()
    known = set(lex.given)
    rng = random.Random(5)
    given = [
        lexicon.person_name(rng, rng.choice(["male", "female"])).split()[-1] for _ in range(2000)
    ]
    unseen = sum(g not in known for g in given) / len(given)
    # Unseen single-word names are ~5%; two-word unseen names end in a known word sometimes.
    assert 0.02 <= unseen <= 0.09


def test_kinh_is_the_large_majority_but_not_everyone():
    rng = random.Random(9)
    share = sum(lexicon.ethnicity(rng) == "Kinh" for _ in range(1000)) / 1000
    assert 0.72 <= share <= 0.88


def test_every_document_type_has_its_required_fields(built):
    required = {
        "birth": {
            "full_name",
            "date_of_birth",
            "sex",
            "registration_place",
            "registration_date",
            "mother_name",
        },
        "death": {"full_name", "date_of_death", "place_of_death", "registration_date"},
        "marriage": {
            "husband_full_name",
            "wife_full_name",
            "husband_date_of_birth",
            "registration_place",
        },
        "dossier_result": {
            "dossier_code",
            "document_title",
            "result_number",
            "result_date",
            "issuing_authority",
            "applicant_name",
        },
    }
    for doc in built:
        assert required[doc.doc_type] <= set(doc.form.fields), doc.doc_type
