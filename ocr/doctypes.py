"""The document types, one entry each: the only place that lists them.

Everything that differs by type and is not the form's layout lives here: the record's
fields and which are required, who the record is about, which fields fill the database's
typed columns, the export's columns, and the type's names for people. The command-line
choices, the database's CHECK lists, the web labels, the export and the sample generator
all read this registry, so a new type is one entry here plus its form layout (the printed
labels of :mod:`ocr.labels` and a builder in ``sohoa.samples.documents``).

Plain data only: ``ocr`` must not import ``sohoa``, Airflow or the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

UNKNOWN = "unknown"  # a page whose type was not recognised: a record type, never a book's


@dataclass(frozen=True)
class Role:
    """One person a record is about and the fields that describe them, which the linking
    of people compares (``place_of_birth`` is ``None`` where the type prints none).
    ``default_sex`` is the sex when the field is empty (a husband is male)."""

    role: str
    name: str
    date_of_birth: str
    sex: str
    personal_id: str
    place_of_birth: str | None = None
    default_sex: str | None = None


# The typed columns of ``civil_record`` filled from a record's values, in the loader's order.
TYPED_COLUMNS = (
    "registration_number",
    "registration_date",
    "registration_place",
    "full_name",
    "date_of_birth",
    "sex",
    "personal_id",
)
_REGISTRATION = ("registration_place", "registration_date", "registration_number")
_REGISTERED = {name: name for name in _REGISTRATION}


@dataclass(frozen=True)
class DocType:
    """One document type.

    - ``fields``: the record's fields, in the order of its JSON Schema
      (``schemas/json/<name>.schema.json``);
    - ``required``: those every form of the type prints and the population database cannot
      do without (docs/checks.md);
    - ``roles``: who the record is about, each linked to a person of the population
      database (a marriage's wife is its ``spouse_person_id``);
    - ``typed``: typed column of ``civil_record`` -> the field that fills it;
    - ``export``: the export spreadsheet's value columns, in order;
    - ``vi``, ``vi_book``, ``vi_report``, ``en``: its names for a clerk, for its register
      book, inside a report's sentence, and in English;
    - ``certificate``: printed on security paper when a sample uses it;
    - ``life_order``: where its records come in a person's life (a lookup lists births
      first, then marriages, deaths and procedure results).
    """

    name: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    roles: tuple[Role, ...]
    typed: Mapping[str, str]
    export: tuple[str, ...]
    vi: str
    vi_book: str
    vi_report: str
    en: str
    certificate: bool
    life_order: int
    civil: bool = field(default=True)  # a civil-status register (not a procedure's result)

    @property
    def number_field(self) -> str:
        """The field that holds the record's number in its book."""
        return self.typed["registration_number"]


def _typed(**extra: str) -> Mapping[str, str]:
    return MappingProxyType({**_REGISTERED, **extra})


_SUBJECT = {c: c for c in ("full_name", "date_of_birth", "sex", "personal_id")}
_PARENT = ("name", "birth_year", "ethnicity", "nationality", "residence")
_SPOUSE = ("full_name", "date_of_birth", "ethnicity", "nationality", "residence", "personal_id")
_PARENT_DATES = ("mother_date_of_birth", "father_date_of_birth")  # newer forms only

# Each type's fields in its JSON Schema's order; the export drops the record's number,
# which has its own column, and what the national system takes no column for.
_BIRTH = (
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "place_of_birth",
    "hometown",
    "personal_id",
    *(f"mother_{f}" for f in _PARENT),
    *(f"father_{f}" for f in _PARENT),
    *_REGISTRATION,
    "book_number",
    *_PARENT_DATES,
)
_DEATH = (
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "personal_id",
    "date_of_death",
    "time_of_death",
    "place_of_death",
    "cause_of_death",
    *_REGISTRATION,
    "book_number",
)
_MARRIAGE = (
    *(f"husband_{f}" for f in _SPOUSE),
    *(f"wife_{f}" for f in _SPOUSE),
    *_REGISTRATION,
    "book_number",
)
_DOSSIER_RESULT = (
    "dossier_code",
    "document_title",
    "result_number",
    "result_date",
    "issuing_authority",
    "applicant_name",
    "applicant_personal_id",
)


def _without(fields: tuple[str, ...], *left_out: str) -> tuple[str, ...]:
    return tuple(f for f in fields if f not in left_out)


_ENTRIES = (
    DocType(
        name="birth",
        fields=_BIRTH,
        required=("full_name", "date_of_birth", "sex", "place_of_birth", *_REGISTRATION),
        roles=(
            Role("subject", "full_name", "date_of_birth", "sex", "personal_id", "place_of_birth"),
        ),
        typed=_typed(**_SUBJECT),
        export=_without(_BIRTH, "registration_number", *_PARENT_DATES),
        vi="Khai sinh",
        vi_book="Sổ đăng ký khai sinh",
        vi_report="khai sinh",
        en="birth registration",
        certificate=True,
        life_order=0,
    ),
    DocType(
        name="death",
        fields=_DEATH,
        required=("full_name", "date_of_death", "place_of_death", *_REGISTRATION),
        roles=(Role("subject", "full_name", "date_of_birth", "sex", "personal_id"),),
        typed=_typed(**_SUBJECT),
        export=_without(_DEATH, "registration_number"),
        vi="Khai tử",
        vi_book="Sổ đăng ký khai tử",
        vi_report="khai tử",
        en="death registration",
        certificate=True,
        life_order=2,
    ),
    DocType(
        name="marriage",
        fields=_MARRIAGE,
        required=(
            "husband_full_name",
            "husband_date_of_birth",
            "wife_full_name",
            "wife_date_of_birth",
            *_REGISTRATION,
        ),
        # Two subjects (``person_id`` and ``spouse_person_id``): the subject columns stay empty.
        roles=tuple(
            Role(
                role,
                f"{role}_full_name",
                f"{role}_date_of_birth",
                f"{role}_sex",
                f"{role}_personal_id",
                default_sex=sex,
            )
            for role, sex in (("husband", "male"), ("wife", "female"))
        ),
        typed=_typed(),
        export=_without(_MARRIAGE, "registration_number"),
        vi="Kết hôn",
        vi_book="Sổ đăng ký kết hôn",
        vi_report="kết hôn",
        en="marriage registration",
        certificate=True,
        life_order=1,
    ),
    DocType(
        name="dossier_result",
        fields=_DOSSIER_RESULT,
        # What, which, when and who: every printed result carries all four. Most print no
        # dossier code: their dossier comes from the QR code, the upload or review.
        required=("document_title", "result_number", "result_date", "issuing_authority"),
        roles=(
            Role(
                "applicant",
                "applicant_name",
                "applicant_date_of_birth",
                "applicant_sex",
                "applicant_personal_id",
            ),
        ),
        typed=MappingProxyType(
            {
                "registration_number": "result_number",
                "registration_date": "result_date",
                "registration_place": "issuing_authority",
                "full_name": "applicant_name",
                "personal_id": "applicant_personal_id",
            }
        ),
        export=_without(_DOSSIER_RESULT, "result_number"),
        vi="Kết quả hồ sơ TTHC",
        vi_book="Kết quả hồ sơ (một cửa)",
        vi_report="kết quả TTHC",
        en="administrative procedure result",
        certificate=False,
        life_order=3,
        civil=False,
    ),
)

REGISTRY: Mapping[str, DocType] = MappingProxyType({t.name: t for t in _ENTRIES})


def names() -> tuple[str, ...]:
    """Every document type (and book type), in the registry's order."""
    return tuple(REGISTRY)


def civil_names() -> tuple[str, ...]:
    """The civil-status registers (birth, death, marriage): the types a book's year and
    type check a page against."""
    return tuple(t.name for t in _ENTRIES if t.civil)


def record_names() -> tuple[str, ...]:
    """What a record's ``doc_type`` may be: every type, and :data:`UNKNOWN`."""
    return (*REGISTRY, UNKNOWN)


def certificate_names() -> tuple[str, ...]:
    """The types printed on security paper (when a page uses it)."""
    return tuple(t.name for t in _ENTRIES if t.certificate)


def get(name: str) -> DocType:
    """The entry of a type; ``KeyError`` for a name that is none."""
    return REGISTRY[name]


def find(name: str | None) -> DocType | None:
    """The entry of a type, ``None`` for ``unknown``, ``None`` or a name that is none."""
    return REGISTRY.get(name or "")


def choices_text() -> str:
    """The types as a comma list, for help texts and error messages."""
    return ",".join(REGISTRY)


_UNTYPED: Mapping[str, str] = MappingProxyType(_REGISTERED)


def typed_fields(name: str | None) -> Mapping[str, str]:
    """Typed column -> field for a record of type ``name``; a record of no known type still
    fills the registration's columns from the registration's fields."""
    found = find(name)
    return found.typed if found else _UNTYPED


def number_field(name: str | None) -> str:
    """The field holding a record's number in its book (``result_number`` for a result)."""
    return typed_fields(name)["registration_number"]
