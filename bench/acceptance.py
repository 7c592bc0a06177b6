"""How far "sure" can be trusted: acceptance by agreement on generated pages with truth.

    .venv/bin/python -m bench.acceptance --seeds 11,12 [--pages 80] [--profile mixed]
    .venv/bin/python -m bench.acceptance --seeds 11,12 --fit   # write ocr/data/calibration.json
    .venv/bin/python -m bench.acceptance --seeds 21,22 --reliability

For every extracted field: its status (sure or check), the reason, and whether the value
is right. Prints the share of values marked sure, the share of sure values that are
wrong (the number that matters: nobody looks at them), field accuracy, the share of
readable pages auto-accepted, and why fields are to check. ``--fit`` fits the confidence
calibration (:mod:`ocr.calibration`) on these seeds and stores it in the package;
``--reliability`` prints predicted against observed per confidence bin, for seeds the
calibration was not fitted on. Seeds 5000-5999 are the lead's held-out pages: refused.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.accuracy import pair_up, score
from bench.machine import describe
from sohoa.commands.extract import expand
from sohoa.samples import write_samples

OUT = Path(__file__).resolve().parent / "out"
HELD_OUT = range(5000, 6000)
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0001)


def _extract(path: Path) -> list[tuple[dict, dict]]:
    """Worker: each page's record and each field's calibration evidence."""
    import os

    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ocr.pipeline import extract_file

    out = []
    for record in extract_file(path):
        evidence = {n: f.evidence for n, f in record.fields.items() if f.evidence is not None}
        out.append((record.to_json(), evidence))
    return out


def run(seeds: list[int], pages: int, profile: str, jobs: int) -> list[tuple[dict, dict, dict]]:
    """(truth page, record, evidence) for every page of every seed."""
    triples = []
    for seed in seeds:
        if seed in HELD_OUT:
            raise SystemExit(f"seed {seed} is held out for the final report")
        folder = OUT / f"accuracy-{profile}-{seed}-{pages}"
        if not folder.exists():
            # The same pages as bench.accuracy's for the same seed and count.
            formats = ("png", "jpeg", "tiff", "pdf")
            write_samples(folder, pages, seed, profile=profile, formats=formats)
        scans = expand([folder])
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_extract, scans))
        records = [r for res in results for r, _ in res]
        evidence = {(r["source"]["uri"], r["source"]["page"]): e for res in results for r, e in res}
        for truth, rec in pair_up(records, scans):
            triples.append((truth, rec, evidence[rec["source"]["uri"], rec["source"]["page"]]))
    return triples


def fields_of(triples: list[tuple[dict, dict, dict]]) -> list[dict]:
    """One row per extracted field of a readable page: status, reason, confidence, right."""
    rows = []
    for truth, rec, evidence in triples:
        if truth.get("expect") == "rejected":
            continue
        for name, f in rec["fields"].items():
            ev = evidence.get(name, {})
            rows.append(
                {
                    "field": name,
                    "status": f.get("status"),
                    "reason": f.get("reason"),
                    "group": ev.get("reason"),
                    "first": ev.get("first"),
                    "second": ev.get("second"),
                    "confidence": f["confidence"],
                    "right": f["value"] == truth["fields"].get(name),
                    "value": f["value"],
                    "want": truth["fields"].get(name),
                    "uri": rec["source"]["uri"],
                }
            )
    return rows


def summary(rows: list[dict], triples: list[tuple[dict, dict, dict]]) -> dict:
    sure = [r for r in rows if r["status"] == "sure"]
    wrong_sure = [r for r in sure if not r["right"]]
    base = score([(t, r) for t, r, _ in triples])
    truth_values = base["pages"] and sum(
        len(t["fields"]) for t, _, _ in triples if t.get("expect") != "rejected"
    )
    return {
        "fields_extracted": len(rows),
        "values_in_truth": truth_values,
        "sure_share": len(sure) / len(rows) if rows else None,
        "sure_wrong_share": len(wrong_sure) / len(sure) if sure else None,
        "sure_wrong": len(wrong_sure),
        "sure": len(sure),
        "field_accuracy": base["field_accuracy"],
        "auto_accepted_share": base["auto_accepted_share"],
        "silent_error_rate": base["silent_error_rate"],
        "readable_pages": base["readable_pages"],
        "reasons": dict(Counter(f"{r['status']}:{r['reason']}" for r in rows).most_common()),
        "wrong_by_reason": dict(
            Counter(f"{r['status']}:{r['reason']}" for r in rows if not r["right"]).most_common()
        ),
        "sure_and_wrong": [
            {k: r[k] for k in ("uri", "field", "reason", "value", "want", "confidence")}
            for r in wrong_sure
        ],
    }


def reliability(rows: list[dict]) -> list[dict]:
    """Predicted (mean confidence) against observed (share right) per confidence bin."""
    table = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [r for r in rows if lo <= r["confidence"] < hi]
        if inside:
            table.append(
                {
                    "bin": f"[{lo:.3f}, {min(hi, 1.0):.3f}{')' if hi <= 1 else ']'}",
                    "fields": len(inside),
                    "predicted": sum(r["confidence"] for r in inside) / len(inside),
                    "observed": sum(r["right"] for r in inside) / len(inside),
                }
            )
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default="11,12", help="comma-separated sample seeds")
    ap.add_argument("--pages", type=int, default=80, help="pages per seed")
    ap.add_argument("--profile", default="mixed")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--fit", action="store_true", help="fit and store the calibration")
    ap.add_argument("--reliability", action="store_true", help="print the reliability table")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]

    started = time.perf_counter()
    triples = run(seeds, args.pages, args.profile, args.jobs)
    rows = fields_of(triples)
    result = summary(rows, triples)
    result.update(
        seconds=time.perf_counter() - started,
        machine=describe(),
        command=(
            f"python -m bench.acceptance --seeds {args.seeds} --pages {args.pages} "
            f"--profile {args.profile}" + (" --fit" if args.fit else "")
        ),
    )
    if args.fit:
        from ocr import calibration

        fitted = calibration.fit(
            (r["group"], calibration.score(r["first"], r["second"]), r["right"])
            for r in rows
            if r["group"] and r["first"] is not None
        )
        calibration.DATA.write_text(
            json.dumps(
                {"fitted_on": result["command"], "reasons": fitted}, ensure_ascii=False, indent=1
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"calibration written to {calibration.DATA}")
    if args.reliability:
        result["reliability"] = reliability(rows)
    OUT.mkdir(exist_ok=True)
    name = f"acceptance-{args.profile}-{args.seeds.replace(',', '_')}"
    (OUT / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    with open(OUT / f"{name}-fields.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    print(f"{len(triples)} pages, {len(rows)} fields in {result['seconds']:.0f} s")
    print(f"values marked sure      {result['sure_share']:.4f} ({result['sure']})")
    print(f"sure values wrong       {result['sure_wrong_share'] or 0:.4f} ({result['sure_wrong']})")
    print(f"field accuracy          {result['field_accuracy']:.4f}")
    print(f"pages auto-accepted     {result['auto_accepted_share']:.4f}")
    print(f"silent-error rate       {result['silent_error_rate']:.4f}")
    for reason, n in result["reasons"].items():
        print(f"  {reason:45s} {n:5d}  wrong {result['wrong_by_reason'].get(reason, 0)}")
    for r in result["sure_and_wrong"][:30]:
        print("  SURE BUT WRONG", r)
    for row in result.get("reliability", []):
        print(
            f"  {row['bin']:16s} {row['fields']:5d} predicted {row['predicted']:.3f} "
            f"observed {row['observed']:.3f}"
        )


if __name__ == "__main__":
    main()
