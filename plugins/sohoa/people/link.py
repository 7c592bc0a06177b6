"""Link the people named by records about to be stored to ``person`` rows, in bulk.

Candidates are read once per load (by personal ID, by date of birth, by folded name);
the rule itself is :func:`sohoa.people.match.compare`. A ``same`` decision links to the
existing person; otherwise a new person is created, and every ``possible`` candidate
becomes an open ``person_duplicate_flag`` for review: persons are never merged here.

The caller stores each record with its people (``civil_record.person_id`` and
``spouse_person_id``: :attr:`PeopleLinks.people_of`), then calls
:meth:`PeopleLinks.finish`, which writes the flags (they name the record that raised
them).

Parallel loads (PostgreSQL) link optimistically: candidates are read and matched without
a lock, and ``finish`` takes the people lock (held until commit) to check what other
loads committed in between. Each load logs the hashes of its new persons' blocking keys
under that lock (``person_key_log``); the check reads the rows logged since its first
reading, and queries the candidates again only for its new persons that share a hash.
A person another load committed in between becomes a duplicate flag like any other
candidate; one that is the *same* person as one this load created raises
:class:`PeopleRace`, and the load's transaction is retried, with the lock taken before
reading. Holding the lock from the first read to commit instead made parallel loads
take turns for most of their work (they write their records while it is held); reading
every candidate again under it cost a sixth of the server's work in a load.
"""

from __future__ import annotations

import sys
import time
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zlib import crc32

from sqlalchemy import Connection, text

from ocr import doctypes
from sohoa.db.tables import person, person_duplicate_flag
from sohoa.load.bulk import allocate_ids, insert_tuples, rows_where_in
from sohoa.load.values import to_date
from sohoa.people.match import Identity, compare

# The role whose person is a record's ``spouse_person_id``; every other role's is its
# ``person_id`` (a birth's or death's subject, a dossier's applicant, a husband).
SPOUSE_ROLE = "wife"

# Linking reads the persons that could match, then creates the ones it did not find: two
# transactions doing that at once would each miss the other's new persons. The check that
# none was missed (``PeopleLinks.finish``) runs one transaction at a time, under this
# lock held until commit.
PEOPLE_LOCK_KEY = 7_460_825

# ``person_key_log`` rows older than this are pruned (a row is about 20 bytes a person: at
# 10,000 persons a second, ten minutes keep 120 MB). A check that began longer ago than
# LOG_TRUSTED (a margin below LOG_KEPT, for the time between a row's insert and its
# commit, and between the two clocks) queries every candidate again instead of trusting
# the log. A load takes seconds from its first reading to its check.
LOG_KEPT_SECONDS = 600.0
LOG_TRUSTED_SECONDS = 300.0


class PeopleRace(Exception):
    """A parallel load committed a person this load has just created too (retry it)."""

    sqlstate = "40001"  # serialization_failure: the loader retries the transaction


@dataclass
class LinkStats:
    persons_created: int = 0
    persons_linked: int = 0
    duplicate_flags: int = 0


@dataclass
class PeopleLinks:
    """What :func:`link_people` decided: each record's (person_id, spouse_person_id), and
    the duplicate flags to write once the records exist."""

    stats: LinkStats = field(default_factory=LinkStats)
    people_of: dict[int, list[int | None]] = field(default_factory=dict)
    flag_rows: list[tuple] = field(default_factory=list)  # without their ids
    recheck: _Recheck | None = None  # set when candidates were read without the lock
    new_key_hashes: list[int] | None = None  # PostgreSQL: what the new persons log

    def finish(self, conn: Connection) -> None:
        """Check that no parallel load created one of this load's new persons, then write
        the duplicate flags and log the new persons' keys (call once the records are
        stored)."""
        if self.recheck is not None:
            new_flags = self.recheck.run(conn)
            self.flag_rows += new_flags
            self.stats.duplicate_flags += len(new_flags)
        ids = allocate_ids(conn, person_duplicate_flag, len(self.flag_rows))
        insert_tuples(
            conn,
            person_duplicate_flag,
            _FLAG_COLS,
            [(fid, *row) for fid, row in zip(ids, self.flag_rows, strict=True)],
        )
        if self.new_key_hashes:
            _log_keys(conn, self.new_key_hashes)


@dataclass(slots=True)
class _Known:
    id: int
    ident: Identity


@lru_cache(maxsize=65536)
def _word_patterns(name_key: str) -> tuple[str, ...]:
    """The name with each of its words in turn replaced by LIKE's ``%`` (the name's own
    wildcards escaped): 'le van an' -> '% van an', 'le % an', 'le van %'."""
    words = _like_escape(name_key).split()
    out = []
    for i in range(len(words)):
        kept = words[i]
        words[i] = "%"
        out.append(" ".join(words))
        words[i] = kept
    return tuple(out)


def key_hashes(ident: Identity) -> list[int]:
    """Blocking keys as 32-bit hashes: every pair ``compare`` calls same or possible shares
    one of them (a shared hash alone proves nothing; it calls for a look).

    Same name: name + year (the dates agree on year+month or year+day, or have day and
    month swapped) and name + month and day. Similar name (same date, one word differs):
    the date and the name with that word replaced by ``%``, which is also the LIKE pattern
    the server is asked for (:class:`_PgLookups`). Strings are hashed with CRC-32 (once per
    name), then mixed with the numbers by FNV-1a's step: the same in every process, so a
    load can read another's from ``person_key_log``. The load's own index of candidates
    is keyed by them too (:class:`_Index`)."""
    d = ident.date_of_birth
    if d is None:
        return []
    by_year, by_day, patterns = _name_hashes(ident.name_key)
    day = d.toordinal()
    return [
        ((by_year ^ d.year) * _FNV) & _32,
        ((by_day ^ (d.month * 32 + d.day)) * _FNV) & _32,
        *[((p ^ day) * _FNV) & _32 for p in patterns],
    ]


_FNV, _32 = 0x01000193, 0xFFFFFFFF


@lru_cache(maxsize=65536)
def _name_hashes(name_key: str) -> tuple[int, int, tuple[int, ...]]:
    """The name's CRC-32, mixed with the kind of key: name + year, name + month and day,
    and each of its :func:`_word_patterns` (+ date)."""
    name = crc32(name_key.encode())
    return (
        ((name ^ 1) * _FNV) & _32,
        ((name ^ 2) * _FNV) & _32,
        tuple(((crc32(p.encode()) ^ 3) * _FNV) & _32 for p in _word_patterns(name_key)),
    )


def _pack(hashes: Iterable[int]) -> bytes:
    packed = array("I", hashes)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def _unpack(blob: bytes) -> array:
    packed = array("I")
    packed.frombytes(blob)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed


@dataclass
class _Index:
    by_pid: dict[str, _Known] = field(default_factory=dict)
    by_hash: dict[int, list[_Known]] = field(default_factory=lambda: defaultdict(list))

    def add(self, known: _Known, hashes: list[int] | None = None) -> None:
        """Index ``known``; ``hashes`` are its :func:`key_hashes` when already computed."""
        if known.ident.personal_id:
            self.by_pid.setdefault(known.ident.personal_id, known)
        by_hash = self.by_hash
        for h in key_hashes(known.ident) if hashes is None else hashes:
            by_hash[h].append(known)

    def candidates(self, ident: Identity, hashes: list[int] | None = None) -> list[_Known]:
        """Indexed persons sharing a key hash with ``ident`` (a superset of those the rule
        could call same or possible; :func:`compare` decides)."""
        seen: dict[int, _Known] = {}
        get = self.by_hash.get
        for h in key_hashes(ident) if hashes is None else hashes:
            for k in get(h, ()):
                seen.setdefault(k.id, k)
        if len(seen) < 2:
            return list(seen.values())
        # stored persons first (oldest first), then those created earlier in this load
        return [seen[i] for i in sorted(seen, key=lambda i: (i < 0, abs(i)))]


def subjects_of(doc_type: str, values: dict[str, Any]) -> list[tuple[str, Identity]]:
    """(role, identity) for each person a record is about (the type's ``roles`` in
    :mod:`ocr.doctypes`); a marriage has two."""
    found = []
    get = values.get
    entry = doctypes.find(doc_type)
    for who in entry.roles if entry else ():
        name = get(who.name)
        if name:
            ident = Identity(
                str(name),
                to_date(get(who.date_of_birth)),
                get(who.sex) or who.default_sex,
                get(who.place_of_birth) if who.place_of_birth else None,
                get(who.personal_id),
            )
            found.append((who.role, ident))
    return found


def link_people(
    conn: Connection,
    subjects: Sequence[tuple[int, str, Identity]],
    now: datetime,
    *,
    lock_first: bool = False,
) -> PeopleLinks:
    """Link each (record_id, role, identity) to a person, creating the persons not found.

    ``lock_first``: take the people lock before reading candidates (a retried load),
    instead of checking under it in :meth:`PeopleLinks.finish`."""
    out = PeopleLinks()
    stats = out.stats
    usable = [(rid, role, i) for rid, role, i in subjects if i.personal_id or i.date_of_birth]
    if not usable:
        return out  # e.g. a dossier applicant without ID: nothing to match on
    idents = [i for _, _, i in usable]
    # Pure work first: the key hashes index the candidates, and new persons log them.
    hashes_of = [key_hashes(i) for i in idents]
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        lookups = _PgLookups.of(idents)
        if lock_first:
            _lock_people(conn)
        else:  # the check in ``finish`` reads what other loads log after this point
            since, started = _log_position(conn), time.monotonic()
        rows = lookups.run(conn)
        index = _index_of(rows)
    else:  # one writer at a time (SQLite): nothing can change under the load
        index = _load_candidates(conn, idents)
    links: list[tuple[int, _Known, str]] = []  # ids resolved once new persons have theirs
    created: list[tuple[_Known, int, str, list[int], list[tuple[_Known, float, str]]]] = []
    by_pid = index.by_pid
    for (rid, role, ident), hashes in zip(usable, hashes_of, strict=True):
        target = by_pid.get(ident.personal_id) if ident.personal_id else None
        possibles: list[tuple[_Known, float, str]] = []
        if target is None:
            target, possibles = _match(index, ident, hashes)
        if target is not None:
            stats.persons_linked += 1
            links.append((rid, target, role))
            continue
        known = _Known(-1 - len(created), ident)  # placeholder id until allocation
        created.append((known, rid, role, hashes, possibles))
        index.add(known, hashes)
    person_rows = []
    for pid, (known, rid, role, _, _) in zip(
        allocate_ids(conn, person, len(created)), created, strict=True
    ):
        known.id = pid
        i = known.ident
        person_rows.append(
            (
                pid,
                i.full_name,
                i.name_key,
                i.date_of_birth,
                i.sex,
                i.personal_id,
                i.place,
                i.place_key,
                now,
            )
        )
        links.append((rid, known, role))
    flags: dict[tuple[int, int], tuple] = {}
    for known, rid, _, _, possibles in created:
        for cand, score, reason in possibles:
            flags.setdefault(
                (known.id, cand.id), (known.id, cand.id, rid, score, reason, "open", now)
            )
    insert_tuples(conn, person, _NEW_PERSON_COLS, person_rows)
    for rid, k, role in links:
        out.people_of.setdefault(rid, [None, None])[role == SPOUSE_ROLE] = k.id
    if postgres and created:
        out.new_key_hashes = [h for *_, hashes, _ in created for h in hashes]
        if not lock_first:
            seen = {row[0] for row in rows}  # its own persons no query returns (_NOT_MINE)
            mine = [(known, rid, hashes) for known, rid, _, hashes, _ in created]
            out.recheck = _Recheck(seen, mine, since, started, now)
    out.flag_rows = list(flags.values())
    stats.persons_created = len(person_rows)
    stats.duplicate_flags = len(out.flag_rows)
    return out


def _match(
    index: _Index, ident: Identity, hashes: list[int] | None = None
) -> tuple[_Known | None, list[tuple[_Known, float, str]]]:
    """The first indexed candidate that is the same person as ``ident`` (or None), and the
    (candidate, score, reason) of those seen before it that possibly are."""
    possibles = []
    for cand in index.candidates(ident, hashes):
        if ident.personal_id and cand.ident.personal_id:
            continue  # two different IDs: different people (the same ID is by_pid, unique)
        decision = compare(ident, cand.ident)
        if decision.kind == "same":
            return cand, possibles
        if decision.kind == "possible":
            possibles.append((cand, decision.score, decision.reason))
    return None, possibles


def _lock_people(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PEOPLE_LOCK_KEY})


def _log_position(conn: Connection) -> int:
    """The last ``person_key_log`` row committed so far (0: none)."""
    return conn.execute(text("SELECT coalesce(max(id), 0) FROM person_key_log")).scalar_one()


def _log_keys(conn: Connection, hashes: list[int]) -> None:
    """Log the key hashes of the persons this load created, and prune rows older than
    :data:`LOG_KEPT_SECONDS` (under the people lock: ids then follow commit order)."""
    _lock_people(conn)  # held already (the check, or ``lock_first``): taken again, cheaply
    cur = conn.connection.driver_connection.cursor()
    cur.execute(
        "DELETE FROM person_key_log "
        "WHERE created_at < clock_timestamp() - make_interval(secs => %s)",
        (LOG_KEPT_SECONDS,),
    )
    cur.execute(
        "INSERT INTO person_key_log (key_hashes, created_at) VALUES (%s, clock_timestamp())",
        (_pack(hashes),),
    )


@dataclass
class _Recheck:
    """What a load linked without the lock checks under it, before it commits."""

    seen: set[int]  # persons the load read
    created: list[tuple[_Known, int, list[int]]]  # (new person, record id, key hashes)
    since: int  # the last ``person_key_log`` row committed before the first reading
    started: float  # time.monotonic() then
    now: datetime

    def run(self, conn: Connection) -> list[tuple]:
        """Flags against persons committed since the first reading; :class:`PeopleRace`
        if one of them is the same person as one the load created.

        Only new persons whose key hashes a load logged since then are looked up again;
        all of them if rows that old may have been pruned."""
        _lock_people(conn)
        suspects = self.created
        if time.monotonic() - self.started <= LOG_TRUSTED_SECONDS:
            cur = conn.connection.driver_connection.cursor()
            cur.execute("SELECT key_hashes FROM person_key_log WHERE id > %s", (self.since,))
            theirs: set[int] = set()
            for (blob,) in cur.fetchall():
                theirs.update(_unpack(blob))
            suspects = [c for c in suspects if not theirs.isdisjoint(c[2])]
        if not suspects:
            return []
        lookups = _PgLookups.of([known.ident for known, _, _ in suspects])
        fresh = [row for row in lookups.run(conn) if row[0] not in self.seen]
        if not fresh:
            return []
        index = _index_of(fresh)
        flags = []
        for known, rid, hashes in suspects:
            same, possibles = _match(index, known.ident, hashes)
            if same is not None:
                raise PeopleRace(f"person {same.id} was linked by a parallel load")
            flags += [
                (known.id, c.id, rid, score, why, "open", self.now) for c, score, why in possibles
            ]
        return flags


_FLAG_COLS = (
    "id", "person_id", "candidate_id", "record_id", "score", "reason", "status", "created_at"
)  # fmt: skip
_NEW_PERSON_COLS = (
    "id",
    "full_name",
    "name_key",
    "date_of_birth",
    "sex",
    "personal_id",
    "place_of_birth",
    "place_key",
    "created_at",
)
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
    """Stored persons that could match (SQLite: coarser lookups, filtered by the rule)."""
    dated = [i for i in idents if i.date_of_birth]
    pids = sorted({i.personal_id for i in idents if i.personal_id})
    rows = rows_where_in(conn, person, _PERSON_COLS, "personal_id", pids)
    names = sorted({i.name_key for i in dated})
    rows += rows_where_in(conn, person, _PERSON_COLS, "name_key", names)
    dobs = sorted({i.date_of_birth for i in dated})
    rows += rows_where_in(conn, person, _PERSON_COLS, "date_of_birth", dobs)
    return _index_of(rows)


def _index_of(rows: Sequence[tuple]) -> _Index:
    by_id = {row[0]: row for row in rows}
    index = _Index()
    for pid in sorted(by_id):
        _, name, dob, sex, place, personal_id, nkey, pkey = by_id[pid]
        ident = Identity(name, dob, sex, place, personal_id, name_key=nkey, place_key=pkey)
        index.add(_Known(pid, ident))
    return index


_COLS = ", ".join(f"p.{c}" for c in _PERSON_COLS)
# Persons this transaction created itself are left out of every candidate query: the
# load knows them, and its check under the lock (``_Recheck``) looks for other loads'.
_NOT_MINE = "p.xmin <> pg_current_xact_id()::xid"
_BY_PID = (
    f"SELECT {_COLS} FROM person p "
    f"WHERE p.personal_id = ANY(string_to_array(%s, chr(31))::varchar[]) AND {_NOT_MINE}"
)


# Each query probes an index once per key of the load: a LATERAL subquery that is not
# pulled up (OFFSET 0) is a parameterized index scan, whatever the planner estimates.
# Left to itself, PostgreSQL read the whole person table (merge join over an index, or
# a hash join over a sequential scan) for the load's few thousand keys: a cost that
# grows with every person ever stored (EXPLAIN at 20,000 persons: 21 and 15 ms for two
# of these queries, against about 2-4 ms probing).
def _probe(keys: str, where: str) -> str:
    return (
        f"SELECT {_COLS} FROM {keys} CROSS JOIN LATERAL "
        f"(SELECT * FROM person p WHERE {where} AND {_NOT_MINE} OFFSET 0) p"
    )


# Same name, same year: the (name_key, date_of_birth) index.
_BY_YEAR = _probe(
    "unnest(string_to_array(%s, chr(31)), string_to_array(%s, chr(31))::int[]) AS k(n, y)",
    "p.name_key = k.n AND p.date_of_birth >= make_date(k.y, 1, 1) "
    "AND p.date_of_birth < make_date(k.y + 1, 1, 1)",
)
# Same name, same month and day (any year): the expression index of migration 0004
# (name_key, BIRTH_DAY_SQL) answers each (name, month * 100 + day) pair directly, instead
# of reading every namesake; the expression must stay the migration's, letter for letter.
BIRTH_DAY_SQL = (
    "((date_part('month', p.date_of_birth) * 100 + date_part('day', p.date_of_birth))::int)"
)
_BY_DAY = _probe(
    "unnest(string_to_array(%s, chr(31)), string_to_array(%s, chr(31))::int[]) AS k(n, md)",
    f"p.name_key = k.n AND {BIRTH_DAY_SQL} = k.md",
)
# One pattern per word of each name, that word replaced by a wildcard; grouped by date
# (patterns of one date joined by chr(30)), so that each person born that day is read
# once and tried against all its patterns.
_SIMILAR = _probe(
    "unnest(string_to_array(%s, chr(31))::date[], string_to_array(%s, chr(31))) AS k(d, pats)",
    "p.date_of_birth = k.d AND p.name_key LIKE ANY(string_to_array(k.pats, chr(30)))",
)


@dataclass
class _PgLookups:
    """The candidate queries of a load (PostgreSQL), their parameters built before the
    people lock is taken: the same personal ID; the same name with a date that agrees on
    two of year/month/day; the same date with all words of the name but one equal (what
    :func:`key_hashes` blocks on, asked of the server exactly)."""

    queries: list[tuple[str, tuple[str, ...]]]

    @classmethod
    def of(cls, idents: Sequence[Identity]) -> _PgLookups:
        """The queries for ``idents``."""
        queries = []
        pids = {i.personal_id for i in idents if i.personal_id}
        if pids:
            queries.append((_BY_PID, (_joined(pids),)))
        by_year: set[tuple[str, int]] = set()
        by_day: set[tuple[str, int]] = set()
        similar: dict[date, set[str]] = defaultdict(set)
        for ident in idents:
            d = ident.date_of_birth
            if d is None:
                continue
            name = ident.name_key
            by_year.add((name, d.year))
            by_day.add((name, d.month * 100 + d.day))
            similar[d].update(_word_patterns(name))
        if by_year:
            queries += [
                (_BY_YEAR, (_joined(n for n, _ in by_year), _joined(y for _, y in by_year))),
                (_BY_DAY, (_joined(n for n, _ in by_day), _joined(md for _, md in by_day))),
                (_SIMILAR, (_joined(similar), _joined("\x1e".join(p) for p in similar.values()))),
            ]
        return cls(queries)

    def run(self, conn: Connection) -> list[tuple]:
        cur = conn.connection.driver_connection.cursor()
        rows: list[tuple] = []
        for sql, params in self.queries:
            cur.execute(sql, params)
            rows += cur.fetchall()
        return rows


def _like_escape(key: str) -> str:
    """``key`` with LIKE's wildcards taken literally (folded names hardly ever have any)."""
    if "\\" not in key and "%" not in key and "_" not in key:
        return key
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _joined(values) -> str:
    """One string for ``string_to_array(..., chr(31))``: far cheaper than a list parameter."""
    return "\x1f".join(map(str, values))
