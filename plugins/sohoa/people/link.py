"""Link the people named by newly stored records to ``person`` rows, in bulk.

Candidates are read once per batch (by personal ID, by date of birth, by folded name);
the rule itself is :func:`sohoa.people.match.compare`. A ``same`` decision links to the
existing person; otherwise a new person is created, and every ``possible`` candidate
becomes an open ``person_duplicate_flag`` for review: persons are never merged here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from sohoa.db.tables import person, person_duplicate_flag, record_person
from sohoa.load.bulk import allocate_ids, insert_rows, rows_where_in
from sohoa.load.values import to_date
from sohoa.people.match import Identity, compare


@dataclass
class LinkStats:
    persons_created: int = 0
    persons_linked: int = 0
    duplicate_flags: int = 0


@dataclass
class _Known:
    id: int
    ident: Identity


def _date_keys(ident: Identity) -> list[tuple]:
    """Blocking keys: every pair ``compare`` calls same or possible shares one of them.

    Same name: the dates agree on year+month, year+day, month+day or are day/month
    swapped. Similar name (same date, one word differs): the date and the other words.
    """
    d, n = ident.date_of_birth, ident.name_key
    if d is None:
        return []
    words = n.split()
    return [
        ("ym", n, d.year, d.month),
        ("yd", n, d.year, d.day),
        ("md", n, d.month, d.day),
        ("swap", n, d.year, *sorted((d.month, d.day))),
        *(("word", d, i, *words[:i], *words[i + 1 :]) for i in range(len(words))),
    ]


@dataclass
class _Index:
    by_pid: dict[str, _Known] = field(default_factory=dict)
    by_key: dict[tuple, list[_Known]] = field(default_factory=lambda: defaultdict(list))

    def add(self, known: _Known) -> None:
        if known.ident.personal_id:
            self.by_pid.setdefault(known.ident.personal_id, known)
        for key in _date_keys(known.ident):
            self.by_key[key].append(known)

    def candidates(self, ident: Identity) -> list[_Known]:
        seen: dict[int, _Known] = {}
        for key in _date_keys(ident):
            for k in self.by_key.get(key, ()):
                seen.setdefault(k.id, k)
        # stored persons first (oldest first), then those created earlier in this batch
        return [seen[i] for i in sorted(seen, key=lambda i: (i < 0, abs(i)))]


def subjects_of(doc_type: str, values: dict[str, Any]) -> list[tuple[str, Identity]]:
    """(role, identity) for each person a record is about; a marriage has two."""

    def ident(prefix: str, name_field: str, sex: str | None, place_field: str | None):
        name = values.get(prefix + name_field)
        if not name:
            return None
        return Identity(
            full_name=str(name),
            date_of_birth=to_date(values.get(prefix + "date_of_birth")),
            sex=values.get(prefix + "sex") or sex,
            place=values.get(place_field) if place_field else None,
            personal_id=values.get(prefix + "personal_id"),
        )

    if doc_type == "birth":
        found = [("subject", ident("", "full_name", None, "place_of_birth"))]
    elif doc_type == "death":
        found = [("subject", ident("", "full_name", None, None))]
    elif doc_type == "marriage":
        found = [
            ("husband", ident("husband_", "full_name", "male", None)),
            ("wife", ident("wife_", "full_name", "female", None)),
        ]
    elif doc_type == "dossier_result":
        found = [("applicant", ident("applicant_", "name", None, None))]
    else:
        found = []
    return [(role, i) for role, i in found if i is not None]


def link_people(
    conn: Connection, subjects: Sequence[tuple[int, str, Identity]], now: datetime
) -> LinkStats:
    """Link each (record_id, role, identity) to a person; returns what was done."""
    stats = LinkStats()
    usable = [(rid, role, i) for rid, role, i in subjects if i.personal_id or i.date_of_birth]
    if not usable:
        return stats  # e.g. a dossier applicant without ID: nothing to match on
    index = _load_candidates(conn, [i for _, _, i in usable])
    links: list[tuple[int, _Known, str]] = []  # ids resolved once new persons have theirs
    created: list[tuple[_Known, int, str, list[tuple[_Known, float, str]]]] = []
    for rid, role, ident in usable:
        target = index.by_pid.get(ident.personal_id) if ident.personal_id else None
        possibles: list[tuple[_Known, float, str]] = []
        if target is None:
            for cand in index.candidates(ident):
                if ident.personal_id and cand.ident.personal_id:
                    continue  # two different IDs: different people (the same ID is by_pid)
                decision = compare(ident, cand.ident)
                if decision.kind == "same":
                    target = cand
                    break
                if decision.kind == "possible":
                    possibles.append((cand, decision.score, decision.reason))
        if target is not None:
            stats.persons_linked += 1
            links.append((rid, target, role))
            continue
        known = _Known(-1 - len(created), ident)  # placeholder id until allocation
        created.append((known, rid, role, possibles))
        index.add(known)
    person_rows = []
    for pid, (known, rid, role, _) in zip(
        allocate_ids(conn, person, len(created)), created, strict=True
    ):
        known.id = pid
        i = known.ident
        person_rows.append(
            {
                "id": pid,
                "full_name": i.full_name,
                "name_key": i.name_key,
                "date_of_birth": i.date_of_birth,
                "sex": i.sex,
                "personal_id": i.personal_id,
                "place_of_birth": i.place,
                "place_key": i.place_key,
                "created_at": now,
            }
        )
        links.append((rid, known, role))
    flags: dict[tuple[int, int], dict[str, Any]] = {}
    for known, rid, _, possibles in created:
        for cand, score, reason in possibles:
            flags.setdefault(
                (known.id, cand.id),
                {
                    "person_id": known.id,
                    "candidate_id": cand.id,
                    "record_id": rid,
                    "score": score,
                    "reason": reason,
                    "status": "open",
                    "created_at": now,
                },
            )
    flag_rows = list(flags.values())
    link_rows = sorted(
        ({"record_id": rid, "person_id": k.id, "role": role} for rid, k, role in links),
        key=lambda r: (r["record_id"], r["role"]),
    )
    for rows, table in ((flag_rows, person_duplicate_flag), (link_rows, record_person)):
        for row, new_id in zip(rows, allocate_ids(conn, table, len(rows)), strict=True):
            row["id"] = new_id
    insert_rows(conn, person, person_rows)
    insert_rows(conn, record_person, link_rows)
    insert_rows(conn, person_duplicate_flag, flag_rows)
    stats.persons_created = len(person_rows)
    stats.duplicate_flags = len(flag_rows)
    return stats


_PERSON_COLS = [
    "id",
    "full_name",
    "date_of_birth",
    "sex",
    "place_of_birth",
    "personal_id",
    "name_key",
    "place_key",
]


def _load_candidates(conn: Connection, idents: Sequence[Identity]) -> _Index:
    """Stored persons that could match: the same personal ID; the same name with a date
    that agrees on two of year/month/day; the same date with all words of the name but
    one equal (the blocking keys of :func:`_date_keys`, applied on the server)."""
    rows: dict[int, tuple] = {}
    pids = sorted({i.personal_id for i in idents if i.personal_id})
    for row in rows_where_in(conn, person, _PERSON_COLS, "personal_id", pids):
        rows[row[0]] = row
    for row in _same_name_rows(conn, idents) + _similar_name_rows(conn, idents):
        rows[row[0]] = row
    index = _Index()
    for pid in sorted(rows):
        _, name, dob, sex, place, personal_id, nkey, pkey = rows[pid]
        ident = Identity(name, dob, sex, place, personal_id, name_key=nkey, place_key=pkey)
        index.add(_Known(pid, ident))
    return index


def _similar_name_rows(conn: Connection, idents: Sequence[Identity]) -> list[tuple]:
    dated = [i for i in idents if i.date_of_birth]
    if conn.dialect.name != "postgresql":
        dobs = sorted({i.date_of_birth for i in dated})
        return rows_where_in(conn, person, _PERSON_COLS, "date_of_birth", dobs)
    # One pattern per word of each name, that word replaced by a wildcard.
    pairs = set()
    for i in dated:
        words = [_like_escape(w) for w in i.name_key.split()]
        for k in range(len(words)):
            pairs.add((i.date_of_birth.isoformat(), " ".join([*words[:k], "%", *words[k + 1 :]])))
    ordered = sorted(pairs)
    cols = ", ".join(f"p.{c}" for c in _PERSON_COLS)
    cur = conn.connection.driver_connection.cursor()
    cur.execute(
        f"SELECT DISTINCT {cols} FROM person p JOIN unnest(string_to_array(%s, chr(31))::date[], "
        "string_to_array(%s, chr(31))) AS k(d, pat) "
        "ON p.date_of_birth = k.d AND p.name_key LIKE k.pat",
        (_joined(d for d, _ in ordered), _joined(pat for _, pat in ordered)),
    )
    return cur.fetchall()


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _same_name_rows(conn: Connection, idents: Sequence[Identity]) -> list[tuple]:
    dated = [i for i in idents if i.date_of_birth]
    if conn.dialect.name != "postgresql":
        return rows_where_in(
            conn, person, _PERSON_COLS, "name_key", sorted({i.name_key for i in dated})
        )
    # One round trip each; the (name_key, date_of_birth) index narrows both on the server
    # instead of shipping every namesake of a common name.
    cols = ", ".join(f"p.{c}" for c in _PERSON_COLS)
    by_year = sorted({(i.name_key, i.date_of_birth.year) for i in dated})
    by_day = sorted({(i.name_key, i.date_of_birth.month, i.date_of_birth.day) for i in dated})
    cur = conn.connection.driver_connection.cursor()
    cur.execute(
        f"SELECT {cols} FROM person p JOIN unnest(string_to_array(%s, chr(31)), "
        "string_to_array(%s, chr(31))::int[]) AS k(n, y) "
        "ON p.name_key = k.n AND p.date_of_birth >= make_date(k.y, 1, 1) "
        "AND p.date_of_birth < make_date(k.y + 1, 1, 1)",
        (_joined(n for n, _ in by_year), _joined(y for _, y in by_year)),
    )
    out = cur.fetchall()
    cur.execute(
        f"SELECT {cols} FROM person p JOIN unnest(string_to_array(%s, chr(31)), "
        "string_to_array(%s, chr(31))::int[], string_to_array(%s, chr(31))::int[]) "
        "AS k(n, m, d) ON p.name_key = k.n AND extract(month FROM p.date_of_birth) = k.m "
        "AND extract(day FROM p.date_of_birth) = k.d",
        (
            _joined(n for n, _, _ in by_day),
            _joined(m for _, m, _ in by_day),
            _joined(d for _, _, d in by_day),
        ),
    )
    return out + cur.fetchall()


def _joined(values) -> str:
    """One string for ``string_to_array(..., chr(31))``: far cheaper than a list parameter."""
    return "\x1f".join(map(str, values))
