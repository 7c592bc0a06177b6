"""The population database of docs/database.md as SQLAlchemy Core tables.

The Alembic migrations in ``schemas/migrations`` create exactly these tables (a test
compares them). Constraints carry the rules so that bad states cannot be stored:
natural keys are unique, enumerations are CHECKed, and a record's type must equal its
book's type through composite foreign keys (record -> scan -> book).

Natural keys: a scan is ``sha256 + page``; a civil record is its book (unit, type, year,
volume) + registration number.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from ocr import doctypes

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# BIGINT ids on PostgreSQL; SQLite only auto-numbers an ``INTEGER PRIMARY KEY``.
ID = BigInteger().with_variant(Integer(), "sqlite")
JSONDoc = JSON().with_variant(JSONB(), "postgresql")
TS = DateTime(timezone=True)


def machine_key(type_: String) -> String:
    """``type_`` compared byte by byte on PostgreSQL (``COLLATE "C"``), for keys that are
    never sorted for a reader: hashes, ID numbers, folded names, register numbers.

    Their indexes then compare with memcmp instead of the locale's rules (migration
    0010); SQLite compares bytes already."""
    return type_.with_variant(type_.__class__(type_.length, collation="C"), "postgresql")


BOOK_TYPES = doctypes.names()
DOC_TYPES = doctypes.record_names()
SCAN_STATUSES = ("loaded", "in_review", "rejected")
RECORD_ORIGINS = ("auto_accepted", "reviewed", "typed")
FIELD_ORIGINS = ("auto_accepted", "confirmed", "corrected", "typed")
REVIEW_STATES = ("pending", "confirmed", "rejected")
REVIEW_ACTIONS = (
    "correct",
    "confirm",
    "enter",
    "reject",
    "resolve_duplicate",
    "link_dossier",
    "override",  # a warning of the checks answered with a reason (sohoa.review.checks)
    "key",  # one of two independent keyings of a page (sohoa.review.double_keying)
    "arbitrate",  # a reviewer's choice where the two keyings differ
)
FLAG_STATUSES = ("open", "same_person", "different")
RUN_STATUSES = ("running", "succeeded", "failed")
SEXES = ("male", "female")
LINK_STATUSES = ("linked", "waiting", "conflict", "no_code")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


unit = Table(
    "unit",
    metadata,
    Column("id", ID, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", Text),
)

pipeline_run = Table(
    "pipeline_run",
    metadata,
    Column("id", ID, primary_key=True),
    Column("run_key", String(200), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS),
    Column("stats", JSONDoc),
    Column("validation_path", Text),
    CheckConstraint(_in("status", RUN_STATUSES), name="status"),
)

register_book = Table(
    "register_book",
    metadata,
    Column("id", ID, primary_key=True),
    Column("unit_id", ID, ForeignKey("unit.id"), nullable=False),
    Column("book_type", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("volume", String(32), nullable=False),
    Column("declared_entries", Integer),
    Column("created_by", String(100)),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("unit_id", "book_type", "year", "volume"),
    UniqueConstraint("id", "book_type"),  # target of scan's (book_id, book_type)
    CheckConstraint(_in("book_type", BOOK_TYPES), name="book_type"),
    CheckConstraint("year BETWEEN 1900 AND 2199", name="year"),
    CheckConstraint("declared_entries IS NULL OR declared_entries >= 0", name="declared"),
)

scan = Table(
    "scan",
    metadata,
    Column("id", ID, primary_key=True),
    Column("sha256", machine_key(String(64)), nullable=False),
    Column("page", Integer, nullable=False),
    Column("uri", Text, nullable=False),
    Column("book_id", ID),
    # The book's type, beside the page's own ``doc_type`` (which may differ: a page sent to
    # review). Checked against the book with the book; a record reaches both through it.
    Column("book_type", String(16)),
    Column("doc_type", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reject_reason", Text),
    Column("uploaded_by", String(100)),
    Column("upload_meta", JSONDoc),  # extra upload metadata; the book holds unit/type/year
    Column("quality", JSON),
    Column("pipeline_run_id", ID, ForeignKey("pipeline_run.id")),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("sha256", "page"),
    UniqueConstraint("id", "book_id", "book_type"),  # target of civil_record's key to it
    ForeignKeyConstraint(
        ["book_id", "book_type"],
        ["register_book.id", "register_book.book_type"],
        name="fk_scan_book_type",
    ),
    CheckConstraint("(book_id IS NULL) = (book_type IS NULL)", name="book_type"),
    CheckConstraint("length(sha256) = 64", name="sha256"),
    CheckConstraint("page >= 1", name="page"),
    CheckConstraint(_in("doc_type", DOC_TYPES), name="doc_type"),
    CheckConstraint(_in("status", SCAN_STATUSES), name="status"),
    CheckConstraint("status <> 'rejected' OR reject_reason IS NOT NULL", name="reason"),
)

civil_record = Table(
    "civil_record",
    metadata,
    Column("id", ID, primary_key=True),
    Column("book_id", ID, nullable=False),
    Column("doc_type", String(16), nullable=False),
    Column("registration_number", machine_key(String(32)), nullable=False),
    Column("scan_id", ID, nullable=False, unique=True),
    Column("registration_date", Date),
    Column("registration_place", Text),
    Column("full_name", Text),
    Column("date_of_birth", Date),
    Column("sex", String(8)),
    Column("personal_id", machine_key(String(12))),
    # Every value with its lineage, in the shape of a record's "fields" (docs/record.md):
    # {field: {"value", "confidence", "bbox": [x, y, w, h], "origin", "by"}}. "origin" is
    # one of FIELD_ORIGINS and absent for a machine-read, auto-accepted value; "by" names
    # the person who confirmed, corrected or typed it. The source scan and page are the
    # record's scan. Plain JSON, not JSONB (2.5x slower to load), and not a row per value
    # (16 rows a record cost more than the rest of the load together; BENCHMARKS.md).
    Column("fields", JSON, nullable=False),
    Column("origin", String(16), nullable=False),
    Column("reviewed_by", String(100)),
    Column("created_at", TS, nullable=False),
    # The people the record is about (``sohoa.people.link``): ``person_id`` is the subject
    # of a birth or death, the applicant of a dossier result or the husband of a marriage;
    # ``spouse_person_id`` the wife of a marriage. Columns of the record, not rows of a
    # link table: a link row cost a load two more foreign-key checks and three more
    # index entries per record, a quarter of the server's work (BENCHMARKS.md).
    Column("person_id", ID, ForeignKey("person.id")),
    Column("spouse_person_id", ID, ForeignKey("person.id")),
    UniqueConstraint("book_id", "registration_number"),
    # One key to the scan carries the book and the type: the record is in its scan's book,
    # and of that book's type (one foreign-key check a record, not two: migration 0009).
    ForeignKeyConstraint(
        ["scan_id", "book_id", "doc_type"],
        ["scan.id", "scan.book_id", "scan.book_type"],
        name="fk_civil_record_scan_book_type",
    ),
    CheckConstraint(_in("doc_type", BOOK_TYPES), name="doc_type"),
    CheckConstraint("sex IS NULL OR " + _in("sex", SEXES), name="sex"),
    CheckConstraint("personal_id IS NULL OR length(personal_id) = 12", name="personal_id"),
    CheckConstraint(_in("origin", RECORD_ORIGINS), name="origin"),
    CheckConstraint("origin = 'auto_accepted' OR reviewed_by IS NOT NULL", name="reviewer"),
)
# Indexes on personal IDs hold only the records and persons that have one: most register
# books predate ID numbers, and an entry per NULL cost each of their loads an index
# insertion for nothing (migration 0007).
_HAS_ID = civil_record.c.personal_id.isnot(None)
Index(
    "ix_civil_record_personal_id",
    civil_record.c.personal_id,
    postgresql_where=_HAS_ID,
    sqlite_where=_HAS_ID,
)
Index("ix_civil_record_person_id", civil_record.c.person_id)
Index(
    "ix_civil_record_spouse_person_id",
    civil_record.c.spouse_person_id,
    postgresql_where=civil_record.c.spouse_person_id.isnot(None),
    sqlite_where=civil_record.c.spouse_person_id.isnot(None),
)

person = Table(
    "person",
    metadata,
    Column("id", ID, primary_key=True),
    Column("personal_id", machine_key(String(12))),
    Column("full_name", Text, nullable=False),
    Column("name_key", machine_key(Text()), nullable=False),
    Column("date_of_birth", Date),
    Column("sex", String(8)),
    Column("place_of_birth", Text),
    Column("place_key", Text),
    Column("created_at", TS, nullable=False),
    CheckConstraint("sex IS NULL OR " + _in("sex", SEXES), name="sex"),
    CheckConstraint("personal_id IS NULL OR length(personal_id) = 12", name="personal_id"),
)
Index(
    "uq_person_personal_id",
    person.c.personal_id,
    unique=True,
    postgresql_where=person.c.personal_id.isnot(None),
    sqlite_where=person.c.personal_id.isnot(None),
)
Index("ix_person_name_key_dob", person.c.name_key, person.c.date_of_birth)
Index("ix_person_dob", person.c.date_of_birth)

# Indexes the migrations add on PostgreSQL only, outside these definitions: expression
# indexes over PostgreSQL functions (migration 0004: name + month and day of birth).
POSTGRES_ONLY_INDEXES = frozenset({"ix_person_name_key_birth_day"})

# What each load's new persons could be matched on (``sohoa.people.link``): the hashes of
# their blocking keys, one row per load, written under the people lock. A load that read
# its candidates without the lock reads the rows committed since, and queries the persons
# again only for its new persons that share a hash. Rows ten minutes old are pruned.
person_key_log = Table(
    "person_key_log",
    metadata,
    Column("id", ID, primary_key=True),
    Column("key_hashes", LargeBinary, nullable=False),  # 32-bit hashes, 4 bytes little-endian
    Column("created_at", TS, nullable=False),
)

person_duplicate_flag = Table(
    "person_duplicate_flag",
    metadata,
    Column("id", ID, primary_key=True),
    Column("person_id", ID, ForeignKey("person.id"), nullable=False),
    Column("candidate_id", ID, ForeignKey("person.id"), nullable=False),
    Column("record_id", ID, ForeignKey("civil_record.id")),
    Column("score", Float, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("resolved_by", String(100)),
    Column("resolved_at", TS),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("person_id", "candidate_id"),
    CheckConstraint("person_id <> candidate_id", name="distinct"),
    CheckConstraint(_in("status", FLAG_STATUSES), name="status"),
    CheckConstraint("status = 'open' OR resolved_by IS NOT NULL", name="resolver"),
)

review_item = Table(
    "review_item",
    metadata,
    Column("id", ID, primary_key=True),
    Column("scan_id", ID, ForeignKey("scan.id"), nullable=False, unique=True),
    Column("book_id", ID, ForeignKey("register_book.id")),
    Column("doc_type", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("reasons", JSONDoc, nullable=False),  # [{field, rule, message}]
    Column("original", JSONDoc, nullable=False),  # the record as extracted (docs/record.md)
    Column("working", JSONDoc, nullable=False),  # {field: {value, confidence, bbox, origin, by}}
    Column("record_id", ID, ForeignKey("civil_record.id")),
    Column("resolved_by", String(100)),
    Column("resolved_at", TS),
    Column("created_at", TS, nullable=False),
    CheckConstraint(_in("state", REVIEW_STATES), name="state"),
    CheckConstraint(_in("doc_type", DOC_TYPES), name="doc_type"),
    CheckConstraint("state <> 'confirmed' OR record_id IS NOT NULL", name="confirmed_record"),
    CheckConstraint("state = 'pending' OR resolved_by IS NOT NULL", name="resolver"),
)
Index("ix_review_item_state", review_item.c.state)

review_action = Table(
    "review_action",
    metadata,
    Column("id", ID, primary_key=True),
    Column("review_item_id", ID, ForeignKey("review_item.id")),
    Column("flag_id", ID, ForeignKey("person_duplicate_flag.id")),
    Column("dossier_link_id", ID, ForeignKey("dossier_link.id")),
    Column("actor", String(100), nullable=False),
    Column("at", TS, nullable=False),
    Column("action", String(32), nullable=False),
    Column("field", String(64)),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("note", Text),
    CheckConstraint(_in("action", REVIEW_ACTIONS), name="action"),
    CheckConstraint(
        "review_item_id IS NOT NULL OR flag_id IS NOT NULL OR dossier_link_id IS NOT NULL",
        name="subject",
    ),
)

dossier = Table(
    "dossier",
    metadata,
    Column("id", ID, primary_key=True),
    Column("dossier_code", String(64), nullable=False, unique=True),
    Column("unit_id", ID, ForeignKey("unit.id"), nullable=False),
    Column("procedure_code", String(64)),
    Column("procedure_name", Text),
    Column("received_at", TS),
    Column("channel", String(32)),
    Column("paper_result_required", Boolean, nullable=False),
    Column("result_issued_at", TS),
    Column("result_file", Text),
    Column("result_record_id", ID, ForeignKey("civil_record.id")),
)

dossier_component = Table(
    "dossier_component",
    metadata,
    Column("id", ID, primary_key=True),
    Column("dossier_id", ID, ForeignKey("dossier.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("file", Text),
    Column("reused", Boolean, nullable=False),
    UniqueConstraint("dossier_id", "position"),
    CheckConstraint("position >= 0", name="position"),
)

# Where each loaded dossier result stands with its dossier (``sohoa.dossiers.link``). Not a
# ``review_item``: the record is already loaded, and confirming an item would load it again.
# A ``conflict`` without ``decided_by`` waits for a person; ``decided_by`` set means a
# person settled it and the automatic linker leaves it alone.
dossier_link = Table(
    "dossier_link",
    metadata,
    Column("id", ID, primary_key=True),
    Column("record_id", ID, ForeignKey("civil_record.id"), nullable=False, unique=True),
    Column("dossier_code", String(64)),
    Column("status", String(16), nullable=False),
    Column("reason", Text),
    Column("decided_by", String(100)),
    Column("decided_at", TS),
    Column("created_at", TS, nullable=False),
    CheckConstraint(_in("status", LINK_STATUSES), name="status"),
    CheckConstraint("(decided_by IS NULL) = (decided_at IS NULL)", name="decision"),
)
Index("ix_dossier_link_status", dossier_link.c.status)

reuse_event = Table(
    "reuse_event",
    metadata,
    Column("id", ID, primary_key=True),
    Column("dossier_id", ID, ForeignKey("dossier.id")),
    Column("component_id", ID, ForeignKey("dossier_component.id")),
    Column("record_id", ID, ForeignKey("civil_record.id")),
    Column("lookup_kind", String(32), nullable=False),
    Column("lookup_value", String(64), nullable=False),
    Column("found", Boolean, nullable=False),
    Column("actor", String(100)),
    Column("at", TS, nullable=False),
    CheckConstraint(_in("lookup_kind", ("personal_id", "registration_number")), name="kind"),
    CheckConstraint("found = (record_id IS NOT NULL)", name="found_record"),
)

# --- The web app (issue 6): accounts, sessions and uploads -----------------------------

WEB_ROLES = ("archive_staff", "reviewer", "manager", "admin")
UPLOAD_OUTCOMES = ("uploaded", "skipped_uploaded", "skipped_processed", "refused")

app_user = Table(
    "app_user",
    metadata,
    Column("id", ID, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200)),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(64)),
    CheckConstraint(_in("role", WEB_ROLES), name="role"),
)

app_user_unit = Table(
    "app_user_unit",
    metadata,
    Column("user_id", ID, ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    # A commune code, a province code (every unit of that province) or "*" (all units).
    # Not a foreign key: an account may be set up before its unit's first upload.
    Column("unit_code", String(32), primary_key=True),
)

web_session = Table(
    "web_session",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 of the cookie; never the cookie
    Column("user_id", ID, ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
)
Index("ix_web_session_user_id", web_session.c.user_id)

upload_batch = Table(
    "upload_batch",
    metadata,
    Column("id", ID, primary_key=True),
    Column("user_id", ID, ForeignKey("app_user.id"), nullable=False),
    Column("unit_code", String(32), nullable=False),
    Column("book_type", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("volume", String(32), nullable=False),
    Column("declared_entries", Integer),
    Column("dossier_code", String(64)),
    Column("created_at", TS, nullable=False),
    CheckConstraint(_in("book_type", BOOK_TYPES), name="book_type"),
)
Index("ix_upload_batch_unit_code", upload_batch.c.unit_code)

upload_file = Table(
    "upload_file",
    metadata,
    Column("id", ID, primary_key=True),
    Column("batch_id", ID, ForeignKey("upload_batch.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("filename", String(255), nullable=False),  # cleaned; as shown to the uploader
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64)),  # NULL when the file was refused before hashing
    Column("pages", Integer),
    Column("outcome", String(24), nullable=False),
    Column("message", Text),  # why a file was refused, in words a clerk can act on
    Column("landing_key", Text),
    UniqueConstraint("batch_id", "position"),
    CheckConstraint(_in("outcome", UPLOAD_OUTCOMES), name="outcome"),
    CheckConstraint("outcome <> 'refused' OR message IS NOT NULL", name="refused_reason"),
)
Index("ix_upload_file_sha256", upload_file.c.sha256)

# How a register book is typed in (``sohoa.review.books``): the defaults a clerk set for
# it (ethnicity, nationality, registration place) and whether it is keyed twice.
book_entry = Table(
    "book_entry",
    metadata,
    Column("book_id", ID, ForeignKey("register_book.id"), primary_key=True),
    Column("double_entry", Boolean, nullable=False),
    Column("defaults", JSONDoc, nullable=False),  # {field kind: value}
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", TS, nullable=False),
)

# One keying of a page of a book typed twice: what one person typed, unseen by the other.
entry_key = Table(
    "entry_key",
    metadata,
    Column("id", ID, primary_key=True),
    Column("review_item_id", ID, ForeignKey("review_item.id"), nullable=False),
    Column("keying", Integer, nullable=False),  # 1 or 2
    Column("actor", String(100), nullable=False),
    Column("doc_type", String(16), nullable=False),
    Column("typed", JSONDoc, nullable=False),  # {field: canonical value}
    Column("created_at", TS, nullable=False),
    UniqueConstraint("review_item_id", "keying"),
    UniqueConstraint("review_item_id", "actor"),  # two keyings, two people
    CheckConstraint("keying IN (1, 2)", name="keying"),
    CheckConstraint(_in("doc_type", BOOK_TYPES), name="doc_type"),
)

# Wrong passwords per username, shared by every process of the web app (``web.throttle``).
# The key is the sha256 of the normalized username: someone who types a password into
# the username box leaves no readable password behind. Rows live minutes, not days.
login_failure = Table(
    "login_failure",
    metadata,
    Column("username_hash", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("first_failure", TS, nullable=False),
    Column("last_failure", TS, nullable=False),
)
Index("ix_login_failure_last_failure", login_failure.c.last_failure)
