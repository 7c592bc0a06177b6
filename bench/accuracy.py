"""Accuracy of ``sohoa extract`` on generated pages with known truth.

    .venv/bin/python -m bench.accuracy [--pages 160] [--seed 2026] [--profile mixed]

Prints per-field exact-match accuracy, document-type accuracy, the share of readable
pages auto-accepted, and the silent-error rate: wrong values among the fields of
auto-accepted records (the worst outcome: nobody will look at them).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from bench.machine import describe
from sohoa.commands.extract import expand, extract_all
from sohoa.samples import load_truth, write_samples

OUT = Path(__file__).resolve().parent / "out"


def score(pages: list[tuple[dict, dict]]) -> dict:
    """Compare (truth page, extracted record) pairs."""
    field_total: Counter[str] = Counter()
    field_right: Counter[str] = Counter()
    type_right = readable = accepted = 0
    accepted_fields = accepted_wrong = 0
    wrong_examples: list[dict] = []
    mismatches: list[dict] = []
    review_reasons: Counter[str] = Counter()
    for truth, rec in pages:
        if truth.get("expect") == "rejected":
            continue
        readable += 1
        type_right += rec["doc_type"] == truth["doc_type"]
        got = {k: v["value"] for k, v in rec["fields"].items()}
        want = truth["fields"]
        names = set(want) | set(got)
        wrong = []
        for name in names:
            ok = got.get(name) == want.get(name)
            if name in want:
                field_total[name] += 1
                field_right[name] += ok
            if not ok:
                wrong.append(name)
        for name in wrong:
            mismatches.append(
                {
                    "uri": rec["source"]["uri"],
                    "field": name,
                    "want": want.get(name),
                    "got": got.get(name),
                    "status": rec["status"],
                    "confidence": rec["fields"].get(name, {}).get("confidence"),
                }
            )
        if rec["doc_type"] != truth["doc_type"]:
            mismatches.append(
                {
                    "uri": rec["source"]["uri"],
                    "field": "doc_type",
                    "want": truth["doc_type"],
                    "got": rec["doc_type"],
                }
            )
        if rec["status"] == "needs_review":
            review_reasons.update({f"{i['rule']}:{i['field']}" for i in rec["issues"]})
        if rec["status"] == "auto_accepted":
            accepted += 1
            accepted_fields += len(names)
            accepted_wrong += len(wrong)
            for name in wrong:
                wrong_examples.append(
                    {
                        "uri": rec["source"]["uri"],
                        "page": rec["source"]["page"],
                        "field": name,
                        "want": want.get(name),
                        "got": got.get(name),
                    }
                )
    total = sum(field_total.values())
    return {
        "pages": len(pages),
        "readable_pages": readable,
        "field_accuracy": sum(field_right.values()) / total if total else None,
        "per_field": {k: field_right[k] / field_total[k] for k in sorted(field_total)},
        "doc_type_accuracy": type_right / readable if readable else None,
        "auto_accepted_share": accepted / readable if readable else None,
        "silent_error_rate": accepted_wrong / accepted_fields if accepted_fields else 0.0,
        "silent_errors": wrong_examples,
        "mismatches": mismatches,
        "review_reasons": dict(review_reasons.most_common()),
    }


def pair_up(records: list[dict], scans: list[Path]) -> list[tuple[dict, dict]]:
    truth_pages = {}
    for scan in scans:
        for page in load_truth(scan)["pages"]:
            truth_pages[(str(scan), page["page"])] = page
    return [
        (truth_pages[(r["source"]["uri"], r["source"]["page"])], r)
        for r in records
        if (r["source"]["uri"], r["source"]["page"]) in truth_pages
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=160)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--profile", default="mixed")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    folder = OUT / f"accuracy-{args.profile}-{args.seed}-{args.pages}"
    if not folder.exists():
        write_samples(
            folder,
            args.pages,
            args.seed,
            profile=args.profile,
            formats=("png", "jpeg", "tiff", "pdf"),
        )
    scans = expand([folder])
    started = time.perf_counter()
    records = [r for recs, _ in extract_all(scans, args.jobs) for r in recs]
    elapsed = time.perf_counter() - started
    result = score(pair_up(records, scans))
    result.update(
        seconds=elapsed,
        machine=describe(),
        command=(
            f"python -m bench.accuracy --pages {args.pages} --seed {args.seed} "
            f"--profile {args.profile}"
        ),
    )
    OUT.mkdir(exist_ok=True)
    with open(OUT / "accuracy-records.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (OUT / "accuracy.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"pages {result['pages']} (readable {result['readable_pages']}) in {elapsed:.1f} s")
    print(f"field accuracy      {result['field_accuracy']:.4f}")
    print(f"doc type accuracy   {result['doc_type_accuracy']:.4f}")
    print(f"auto-accepted       {result['auto_accepted_share']:.4f}")
    print(f"silent-error rate   {result['silent_error_rate']:.4f}")
    for name, acc in result["per_field"].items():
        print(f"  {name:28s} {acc:.3f}")
    print("why records go to review (rule:field, records):")
    for reason, count in list(result["review_reasons"].items())[:12]:
        print(f"  {reason:40s} {count}")
    for ex in result["silent_errors"][:20]:
        print("  SILENT", ex)


if __name__ == "__main__":
    main()
