"""Which preparation steps pay off: accuracy and CPU time with each step switched off.

    .venv/bin/python -m bench.preparation [--pages 40]

Runs the reader over the same generated pages once per variant. Each variant replaces
one step in this process only (the workers are forked from it), so the product code has
no benchmark switches. CPU seconds are those of this process and its workers, which
stay meaningful on a busy machine where wall time does not.
"""

from __future__ import annotations

import argparse
import json
import resource
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import cv2

import ocr.pipeline as pipeline
import ocr.prepare as prep
from bench.accuracy import OUT, pair_up, score
from bench.machine import describe
from sohoa.commands.extract import expand, extract_all
from sohoa.samples import write_samples


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def patched(obj: object, name: str, value: object):
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def _binarized(prepare: Callable) -> Callable:
    def run(*args, **kwargs):
        prepared = prepare(*args, **kwargs)
        _, prepared.image = cv2.threshold(
            prepared.image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
        )
        return prepared

    return run


def _denoised(prepare: Callable) -> Callable:
    def run(*args, **kwargs):
        prepared = prepare(*args, **kwargs)
        prepared.image = cv2.medianBlur(prepared.image, 3)
        return prepared

    return run


VARIANTS: dict[str, Callable[[], object]] = {
    "everything (as shipped)": lambda: patched(prep, "_MIN_SKEW", prep._MIN_SKEW),
    "no deskew": lambda: patched(prep, "_MIN_SKEW", 99.0),
    "no leader-dot removal": lambda: patched(prep, "remove_leaders", lambda g: g),
    "no enlarging of <300 dpi": lambda: patched(prep, "OCR_DPI", 1),
    "no re-reading of weak lines": lambda: patched(pipeline, "reread_weak_lines", lambda p, w: w),
    "no second reading of doubtful values": lambda: patched(
        pipeline, "second_reading", lambda d, n, rf, p, v, c: (v, c)
    ),
    "plus Otsu binarization": lambda: patched(pipeline, "prepare", _binarized(pipeline.prepare)),
    "plus 3x3 median denoise": lambda: patched(pipeline, "prepare", _denoised(pipeline.prepare)),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--seed", type=int, default=404)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    folder = OUT / f"preparation-{args.seed}-{args.pages}"
    if not folder.exists():
        write_samples(folder, args.pages, args.seed, profile="mixed")
    scans = expand([folder])
    rows = []
    for label, make in VARIANTS.items():
        with make():
            before = _cpu()
            records = [r for recs, _ in extract_all(scans, args.jobs) for r in recs]
            cpu = _cpu() - before
        result = score(pair_up(records, scans))
        rows.append(
            {
                "variant": label,
                "field_accuracy": result["field_accuracy"],
                "auto_accepted": result["auto_accepted_share"],
                "silent_error_rate": result["silent_error_rate"],
                "cpu_s_per_page": cpu / len(scans),
            }
        )
        print(
            f"{label:38s} fields {result['field_accuracy']:.4f}  auto "
            f"{result['auto_accepted_share']:.3f}  silent {result['silent_error_rate']:.4f}  "
            f"cpu {cpu / len(scans):.2f} s/page",
            flush=True,
        )
    out = {
        "pages": len(scans),
        "machine": describe(),
        "rows": rows,
        "command": f"python -m bench.preparation --pages {args.pages}",
    }
    Path(OUT / "preparation.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
