"""``sohoa samples``: write synthetic scans with their ground truth (for tests and demos)."""

from __future__ import annotations

import argparse

from ocr import doctypes

PROFILES = ("clean", "mixed", "harsh", "realistic", "photo")
ALL_FORMATS = ("png", "jpeg", "tiff", "pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "samples",
        help="write synthetic scans with ground truth",
        description="Write synthetic scans of civil-status records, each with X.truth.json "
        "beside it. The same seed always writes the same files.",
    )
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--count", type=int, default=8, help="number of record files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", choices=PROFILES, default="mixed")
    parser.add_argument(
        "--format",
        default="png",
        help="comma list of png,jpeg,tiff,pdf, or 'mixed' for all of them",
    )
    parser.add_argument(
        "--types",
        default=None,
        help=f"comma list of {doctypes.choices_text()} (default: all)",
    )
    parser.add_argument("--pages-per-file", type=int, default=1)
    parser.add_argument(
        "--rejects",
        type=int,
        default=0,
        help="also write this many pages the quality gate must reject",
    )
    parser.add_argument(
        "--dpi", type=int, default=None, help="fix the resolution (default: drawn per file)"
    )
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="only records registered in this year, as in one year's register book (scan profiles)",
    )
    paper = parser.add_mutually_exclusive_group()
    paper.add_argument(
        "--security-paper",
        dest="security_paper",
        action="store_true",
        default=None,
        help="print every certificate on green security paper (guilloche, emblem, border)",
    )
    paper.add_argument(
        "--plain-paper",
        dest="security_paper",
        action="store_false",
        help="never use security paper (default: the realistic profiles draw it)",
    )
    parser.set_defaults(func=run)


def _split(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",") if part.strip()] if text else None


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ocr.errors import ConfigurationError
    from sohoa.samples import write_samples

    formats = list(ALL_FORMATS) if args.format.strip() == "mixed" else _split(args.format)
    try:
        paths = write_samples(
            Path(args.out),
            args.count,
            args.seed,
            profile=args.profile,
            formats=formats or [],
            doc_types=_split(args.types),
            pages_per_file=args.pages_per_file,
            rejects=args.rejects,
            dpi=args.dpi,
            security_paper=args.security_paper,
            year=args.year,
        )
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc
    pages = args.count * args.pages_per_file + args.rejects
    print(
        f"wrote {len(paths)} files ({pages} pages, profile {args.profile}, seed {args.seed}) "
        f"to {args.out}"
    )
    return 0
