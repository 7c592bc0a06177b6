"""Digits written by hand into a decision's number and date slots: what reads them.

    .venv/bin/python -m bench.handwriting [--pages 40] [--seed 77]

Each page is a provincial decision in the standard layout (no dossier code) whose
number ("Số: 47 /QĐ-UBND") and day ("ngày 17 tháng 01") are written in by hand over the
typed line, with random digits and a random hand (``tests/ocr/formpages.py`` draws
them until the sample generator makes such pages). Each page is read twice in this
process: by the page's reading alone (the slots' readings switched off) and with the
slots read (:mod:`ocr.slots`). For the number and the date it counts values right and
sure, right but sent to review, wrong but flagged, wrong and sure (silent) and missing.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

from ocr import pipeline
from ocr.record import AUTO_ACCEPT_CONFIDENCE
from tests.ocr.formpages import DAY_GAP, NUMBER_GAP, SOURCE, decision, gray, handwritten

OUT = Path(__file__).resolve().parent / "out"
FIELDS = ("result_number", "result_date")


def _pages(count: int, seed: int):
    rng = random.Random(seed)
    for n in range(count):
        number = str(rng.randint(1, 10 ** rng.choice([1, 2, 3, 3, 4])) or 1)
        day = rng.randint(1, 28)
        month = rng.randint(1, 12)
        image = handwritten(
            decision(NUMBER_GAP, DAY_GAP, f"{month:02d}"),
            {"number_slot": number, "day_slot": str(day)},
            seed=seed * 1000 + n,
        )
        truth = {"result_number": f"{number}/QĐ-UBND", "result_date": f"2025-{month:02d}-{day:02d}"}
        yield gray(image), truth


def _outcome(record: dict, name: str, want: str) -> str:
    f = record["fields"].get(name)
    if f is None:
        return "missing"
    flagged = f["confidence"] < AUTO_ACCEPT_CONFIDENCE or any(
        i["field"] == name for i in record["issues"]
    )
    if f["value"] == want:
        return "right, review" if flagged else "right, sure"
    return "wrong, flagged" if flagged else "wrong, SILENT"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--seed", type=int, default=77)
    args = ap.parse_args()
    real = pipeline.settle_result_slots
    tallies: dict[str, dict[str, Counter]] = {
        "page reading only": {f: Counter() for f in FIELDS},
        "with the slots read": {f: Counter() for f in FIELDS},
    }
    cpu = {k: 0.0 for k in tallies}
    for image, truth in _pages(args.pages, args.seed):
        for variant in tallies:
            pipeline.settle_result_slots = real if "slots" in variant else (lambda *a: [])
            started = time.process_time()
            record = pipeline.extract_page(image, SOURCE, dpi=300).to_json()
            cpu[variant] += time.process_time() - started
            for name in FIELDS:
                tallies[variant][name][_outcome(record, name, truth[name])] += 1
    pipeline.settle_result_slots = real
    result = {
        "command": f"python -m bench.handwriting --pages {args.pages} --seed {args.seed}",
        "pages": args.pages,
        "outcomes": {v: {f: dict(c) for f, c in t.items()} for v, t in tallies.items()},
        "cpu_seconds_per_page": {v: round(s / args.pages, 3) for v, s in cpu.items()},
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "handwriting.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    for variant, per_field in tallies.items():
        print(f"{variant} ({result['cpu_seconds_per_page'][variant]} CPU s a page)")
        for name, counts in per_field.items():
            print(f"  {name:14s} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
