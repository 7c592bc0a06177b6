"""``sohoa review ...``: the review queue for engineers and archive staff at a terminal.

``list`` / ``show ID`` to look; ``correct ID FIELD VALUE``, ``confirm ID``,
``enter ID --type birth FIELD=VALUE...``, ``reject ID --reason TEXT`` to act;
``confirm`` and ``enter`` load only a record that passes the checks of a machine-read one
(``sohoa.review.checks``): an error refuses it (exit code 2, nothing saved), a warning
needs ``--override FIELD=REASON``, kept in the audit trail;
``duplicates`` / ``resolve FLAG --same|--different`` for possible duplicate persons;
``links`` / ``link RECORD DOSSIER_CODE`` / ``unlink RECORD --reason TEXT`` for dossier
results whose dossier is in doubt (``sohoa.dossiers.link``).
Acting needs ``--by NAME`` (default: ``SOHOA_USER``, else the login name): every change
is audited with who made it.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from ocr import doctypes


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="list, show, correct, confirm, type in or reject pages")
    ops = p.add_subparsers(dest="op", metavar="OP", required=True)
    lst = ops.add_parser("list", help="pages waiting for a person")
    lst.add_argument("--unit", help="only this unit's books")
    lst.add_argument("--limit", type=int, default=50)
    show = ops.add_parser("show", help="one page: fields, confidences, failed rules, history")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help="machine-readable output")
    cor = ops.add_parser("correct", help="set one field")
    cor.add_argument("id", type=int)
    cor.add_argument("field")
    cor.add_argument("value")
    con = ops.add_parser("confirm", help="accept the page's record and load it")
    con.add_argument("id", type=int)
    ent = ops.add_parser("enter", help="type the whole record in by hand, then load it")
    ent.add_argument("id", type=int)
    ent.add_argument(
        "--type",
        required=True,
        dest="doc_type",
        choices=doctypes.names(),
    )
    ent.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    for op in (con, ent):
        op.add_argument(
            "--override",
            action="append",
            default=[],
            metavar="FIELD=REASON",
            help="load despite this field's warning (the page says so), for this reason",
        )
    rej = ops.add_parser("reject", help="not a record page: reject it with a reason")
    rej.add_argument("id", type=int)
    rej.add_argument("--reason", required=True)
    ops.add_parser("duplicates", help="open 'possible duplicate person' flags")
    res = ops.add_parser("resolve", help="record a verdict on a possible duplicate")
    res.add_argument("flag", type=int)
    verdict = res.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--same", action="store_true", help="the same person")
    verdict.add_argument("--different", action="store_true", help="different people")
    ops.add_parser("links", help="dossier results whose dossier is in conflict")
    lnk = ops.add_parser("link", help="decide a conflict: this record is that dossier's result")
    lnk.add_argument("record", type=int)
    lnk.add_argument("dossier_code")
    unl = ops.add_parser("unlink", help="decide a conflict: leave the record unlinked")
    unl.add_argument("record", type=int)
    unl.add_argument("--reason", required=True)
    for op in (cor, con, ent, rej, res, lnk, unl):
        op.add_argument(
            "--by",
            default=None,
            help="your name, for the audit trail (default: SOHOA_USER, else the login name)",
        )
    p.set_defaults(func=run)


def _login() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return None


def run(args: argparse.Namespace) -> int:
    from ocr.errors import ConfigurationError
    from sohoa.db.migrate import upgrade
    from sohoa.dossiers import link
    from sohoa.review import queue
    from sohoa.settings import get_settings

    engine = upgrade()
    out = sys.stdout
    if args.op == "list":
        items = queue.list_pending(engine, unit_code=args.unit, limit=args.limit)
        for it in items:
            book = it.book or {}
            rules = ",".join(sorted({r["rule"] for r in it.reasons}))
            print(
                f"{it.id}\t{it.doc_type}\t{book.get('unit', '')}/{book.get('type', '')}/"
                f"{book.get('year', '')}/{book.get('volume', '')}\t{it.scan_uri}#{it.page}"
                f"\t{rules}",
                file=out,
            )
        conflicts = link.count_conflicts(engine)
        print(
            f"{len(items)} shown, {queue.count_pending(engine)} pending"
            + (f"; {conflicts} dossier-link conflict(s): sohoa review links" if conflicts else ""),
            file=sys.stderr,
        )
        return 0
    if args.op == "links":
        for c in link.pending_conflicts(engine):
            print(
                f"{c['record_id']}\t{c['dossier_code'] or ''}\t{c['uri']}#{c['page']}"
                f"\t{c['reason']}",
                file=out,
            )
        return 0
    if args.op == "show":
        _show(queue.show(engine, args.id), args.json, out)
        return 0
    if args.op == "duplicates":
        for f in queue.open_duplicates(engine):
            print(
                f"{f['id']}\t{f['reason']}\t{f['score']:.2f}\t{f['name']} {f['dob']}"
                f"\t~ {f['candidate_name']} {f['candidate_dob']}",
                file=out,
            )
        return 0
    args.by = args.by or get_settings().user or _login()
    if not args.by:
        raise ConfigurationError("say who you are with --by NAME (or set SOHOA_USER)")
    if args.op == "correct":
        queue.correct_field(engine, args.id, args.field, args.value, actor=args.by)
        print(f"item {args.id}: {args.field} corrected", file=out)
    elif args.op == "confirm":
        overrides = _pairs(args.override, "FIELD=REASON")
        record = queue.confirm(engine, args.id, actor=args.by, overrides=overrides)
        print(f"item {args.id}: loaded as record {record}", file=out)
    elif args.op == "enter":
        values = _pairs(args.values, "FIELD=VALUE")
        record = queue.enter_record(
            engine,
            args.id,
            args.doc_type,
            values,
            actor=args.by,
            overrides=_pairs(args.override, "FIELD=REASON"),
        )
        print(f"item {args.id}: typed in and loaded as record {record}", file=out)
    elif args.op == "reject":
        queue.reject_page(engine, args.id, args.reason, actor=args.by)
        print(f"item {args.id}: page rejected", file=out)
    elif args.op == "resolve":
        queue.resolve_duplicate(engine, args.flag, args.same, actor=args.by)
        print(f"flag {args.flag}: {'same person' if args.same else 'different people'}", file=out)
    elif args.op == "link":
        link.link_record(engine, args.record, args.dossier_code, actor=args.by)
        print(f"record {args.record}: linked to dossier {args.dossier_code}", file=out)
    elif args.op == "unlink":
        link.dismiss_link(engine, args.record, actor=args.by, note=args.reason)
        print(f"record {args.record}: left unlinked", file=out)
    return 0


def _pairs(items: list[str], shape: str) -> dict[str, str]:
    from ocr.errors import ConfigurationError

    out = {}
    for pair in items:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigurationError(f"expected {shape}, got {pair!r}")
        out[name.strip()] = value
    return out


def _show(item, as_json: bool, out) -> None:
    if as_json:
        from dataclasses import asdict

        print(json.dumps(asdict(item), ensure_ascii=False, indent=1, default=str), file=out)
        return
    print(f"review item {item.id} ({item.state}) - {item.doc_type}", file=out)
    print(f"page      {item.scan_uri} page {item.page} (sha256 {item.sha256[:12]}...)", file=out)
    if item.book:
        b = item.book
        print(f"book      unit {b['unit']}, {b['type']} {b['year']} volume {b['volume']}", file=out)
    failed = {}
    for r in item.reasons:
        failed.setdefault(r.get("field"), []).append(r["rule"])
        print(f"reason    {r['rule']}: {r.get('message', '')}", file=out)
    for name in sorted(item.fields):
        f = item.fields[name]
        conf = f.get("confidence")
        bbox = f.get("bbox")
        extra = [
            f"conf {conf:.2f}" if isinstance(conf, int | float) else "",
            f"bbox {bbox}" if bbox else "",
            f"{f['origin']} by {f['by']}" if f.get("by") else "",
            "FAILED " + ",".join(failed[name]) if name in failed else "",
        ]
        print(f"  {name:28s} {f.get('value')!s:40s} {' '.join(e for e in extra if e)}", file=out)
    for a in item.actions:
        change = f"{a['field']}: {a['old_value']!r} -> {a['new_value']!r}" if a["field"] else ""
        print(
            f"history   {a['at']} {a['actor']} {a['action']} {change} {a['note'] or ''}", file=out
        )
