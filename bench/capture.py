"""Phone photos, security paper and screenshots: the reader now against a reference commit.

    .venv/bin/python -m bench.capture [--pages 48] [--seed 700] [--reference REV] [--jobs 2]

Builds a set of photo-like pages with known truth (``tests/ocr/camera.py``: generated
pages photographed on a table, a cloth or a floor with perspective, uneven light, glare
and JPEG; green or brown security paper with guilloche, emblem, seal and signature;
screenshots of electronic copies; flat colour scans of security paper; photos from 720 px
wide) plus photos nobody could read (taken in the dark, shaken past reading, thumbnails).
Every file is read twice by ``sohoa extract`` in a child process: once with this tree's
code, once with the reference commit's ``ocr/`` and ``plugins/`` (``git archive``, default
the merge base with ``main``) put first on ``PYTHONPATH``. Same files, same machine, same
run.

Also measures the CPU cost on plain scans: generated "mixed" pages, saved once as grey
PNG (what a grey scanner writes) and once in colour (the generator's seals and
signatures), read by both versions. CPU seconds are the child processes' own, which stay
meaningful on a busy machine where wall time does not.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from bench.accuracy import OUT, pair_up, score
from bench.machine import describe
from sohoa.commands.extract import expand
from sohoa.samples import write_samples
from tests.ocr import camera

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("photo", "security photo", "security scan", "screenshot", "small photo")
CIVIL = ("birth", "death", "marriage")
BACKGROUNDS = ("wood", "cloth", "floor")
FRAMES = ((1080, 1440), (1200, 1600), (1536, 2048), (1920, 2560), (946, 2048))
UNREADABLE = ("dark", "shaken", "thumbnail")


def build_set(folder: Path, pages: int, seed: int) -> list[Path]:
    """``pages`` readable photo-like pages and one unreadable photo per six, with truth."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    for i in range(pages):
        kind = KINDS[i % len(KINDS)]
        doc_type = ("birth", "death", "marriage", "dossier_result")[(i // len(KINDS)) % 4]
        if kind.startswith("security") and doc_type == "dossier_result":
            doc_type = CIVIL[i % 3]  # decisions are printed on plain paper
        written.append(_readable(folder, i, kind, doc_type, rng))
    for j in range(max(1, pages // 6)):
        written.append(_unreadable(folder, j, UNREADABLE[j % 3], rng))
    return written


def _readable(folder: Path, i: int, kind: str, doc_type: str, rng: random.Random) -> Path:
    page, truth = camera.clean_page(doc_type, rng.getrandbits(32))
    marks_seed = rng.getrandbits(32)
    if kind.startswith("security"):
        border = "brown" if rng.random() < 0.3 else "green"
        page = camera.security_paper(page, marks_seed, border, strength=rng.uniform(0.5, 1.0))
    if kind != "screenshot":
        _sign_and_seal(page, truth, marks_seed)
    truth = {**truth, "expect": "record", "capture": kind}
    if kind == "security scan":
        image = cv2.cvtColor(page, cv2.COLOR_RGB2BGR)
        return _save(folder / f"{i:03d}-scan.png", image, truth, dpi=truth["dpi"])
    if kind == "screenshot":
        shot = camera.screenshot(page, truth, f"https://dichvucong.example.vn/{i:06d}")
        return _save(folder / f"{i:03d}-screen.png", shot.image, shot.truth, dpi=None)
    frame = (720, 1280) if kind == "small photo" else rng.choice(FRAMES)
    shot = camera.photograph(
        page,
        truth,
        rng.getrandbits(32),
        frame=frame,
        fill=rng.uniform(0.6, 0.92),
        tilt=rng.uniform(0.0, 0.05),
        background=rng.choice(BACKGROUNDS),
        light=rng.uniform(0.15, 0.5),
        glare=rng.choice([0.0, 30.0, 60.0]),
        blur=rng.uniform(0.4, 1.0),
        noise=rng.uniform(2.0, 6.0),
        jpeg=rng.randint(75, 92),
    )
    return _save(folder / f"{i:03d}-photo.jpg", shot.image, shot.truth, dpi=72)


def _sign_and_seal(page: np.ndarray, truth: dict, seed: int) -> None:
    """A signature and a seal over the signer's block at the foot of the text: below the
    lowest value, touching it now and then, as on real certificates."""
    rng = np.random.default_rng(seed)
    boxes = list(truth["boxes"].values())
    bottom = max(y + h for _, y, _, h in boxes)
    h, w = page.shape[:2]
    cx = w * rng.uniform(0.55, 0.7)
    cy = min(h - w * 0.12, bottom + w * rng.uniform(0.08, 0.14))
    camera.signature(
        page, (int(cx - w * 0.12), int(cy - w * 0.03), int(w * 0.25), int(w * 0.06)), seed
    )
    camera.seal(page, (cx - w * 0.08, cy), w * rng.uniform(0.08, 0.1), "ỦY BAN NHÂN DÂN XÃ")


def _unreadable(folder: Path, j: int, kind: str, rng: random.Random) -> Path:
    page, truth = camera.clean_page(rng.choice(CIVIL), rng.getrandbits(32))
    truth = {**truth, "fields": {}, "boxes": {}, "expect": "rejected", "capture": kind}
    if kind == "thumbnail":
        shot = camera.photograph(page, truth, rng.getrandbits(32), frame=(180, 240))
    elif kind == "dark":
        shot = camera.photograph(page, truth, rng.getrandbits(32), light=0.0, glare=0.0)
        shot.image = (shot.image.astype(np.float32) * 0.06 + rng.uniform(1, 4)).astype(np.uint8)
    else:
        shot = camera.photograph(page, truth, rng.getrandbits(32), blur=9.0)
    return _save(folder / f"x{j:02d}-{kind}.jpg", shot.image, shot.truth, dpi=72)


def _save(path: Path, image: np.ndarray, truth: dict, dpi: int | None) -> Path:
    pil = Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    if path.suffix == ".jpg":
        pil.save(path, format="JPEG", quality=95, **extra)
    else:
        pil.save(path, format="PNG", **extra)
    truth = {k: v for k, v in truth.items() if not k.startswith("__")}
    record = {"file": path.name, "pages": [{**truth, "page": 1}]}
    path.with_name(f"{path.stem}.truth.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return path


# --- reading with a given version of the code ---------------------------------------------


def snapshot(rev: str, into: Path) -> Path:
    """``ocr/`` and ``plugins/`` of commit ``rev``, unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "ocr", "plugins"], capture_output=True, check=True
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as tmp:
        tmp.write(archive)
        tmp.seek(0)
        with tarfile.open(fileobj=tmp) as tar:
            tar.extractall(into, filter="data")
    return into


def read_with(code: Path | None, folder: Path, jobs: int) -> tuple[list[dict], float]:
    """Records of every file in ``folder`` read by ``sohoa extract`` in a child process
    with ``code`` (a snapshot) first on the path, or this tree; and its CPU seconds."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), str(code / "plugins")])
    before = _children_cpu()
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from sohoa.cli import main; sys.exit(main())",
            "extract",
            "--jobs",
            str(jobs),
            str(folder),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),  # not this tree: its ocr/ would shadow the snapshot's
    )
    cpu = _children_cpu() - before
    if out.returncode not in (0, 1):
        raise RuntimeError(out.stderr[-2000:])
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()], cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summarise(records: list[dict], scans: list[Path]) -> dict:
    pairs = pair_up(records, scans)
    result = score(pairs)
    by_kind: dict[str, Counter] = {}
    rejected_legible = []
    for truth, rec in pairs:
        c = by_kind.setdefault(truth.get("capture", "?"), Counter())
        c["pages"] += 1
        if truth["expect"] == "rejected":
            c["rejected"] += rec["status"] == "rejected"
            c["reason: " + " ".join(i["message"] for i in rec["issues"])[:70]] += 1
            continue
        got = {k: v["value"] for k, v in rec["fields"].items()}
        c["fields"] += len(truth["fields"])
        c["right"] += sum(got.get(k) == v for k, v in truth["fields"].items())
        c["rejected"] += rec["status"] == "rejected"
        c["accepted"] += rec["status"] == "auto_accepted"
        if rec["status"] == "rejected":
            rejected_legible.append(
                (rec["source"]["uri"], " ".join(i["message"] for i in rec["issues"]))
            )
    result["by_kind"] = {k: dict(v) for k, v in by_kind.items()}
    result["legible_rejected"] = rejected_legible
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=48)
    ap.add_argument("--seed", type=int, default=700)
    ap.add_argument("--reference", default=None, help="commit to compare with (default: main)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scans", type=int, default=12, help="plain scans for the CPU comparison")
    ap.add_argument(
        "--generator", type=int, default=24, help="pages of `sohoa samples --profile photo`"
    )
    args = ap.parse_args()
    reference = (
        args.reference
        or subprocess.run(
            ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    folder = OUT / f"capture-{args.seed}-{args.pages}"
    if not folder.exists():
        build_set(folder, args.pages, args.seed)
    scans = expand([folder])
    plain = OUT / f"capture-plain-{args.seed}-{args.scans}"
    if not plain.exists():
        _plain_scans(plain, args.scans, args.seed)
    generated = OUT / f"capture-generator-{args.seed}-{args.generator}"
    if args.generator and not generated.exists():
        write_samples(generated, args.generator, args.seed, profile="photo", formats=("jpeg",))
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        code = snapshot(reference, Path(tmp) / "ref")
        for label, version in (("reference", code), ("this tree", None)):
            records, cpu = read_with(version, folder, args.jobs)
            result = summarise(records, scans)
            timing, plain_fields = {}, {}
            for kind in ("grey", "colour"):
                plain_records, plain_cpu = read_with(version, plain / kind, args.jobs)
                timing[kind] = plain_cpu / args.scans
                plain_fields[kind] = score(pair_up(plain_records, expand([plain / kind])))
            other = None
            if args.generator:
                gen_records, _ = read_with(version, generated, args.jobs)
                other = summarise(gen_records, expand([generated]))
            rows[label] = {
                "result": result,
                "cpu_s_per_page": cpu / len(scans),
                "plain_cpu_s_per_page": timing,
                "plain": {k: _brief(v) for k, v in plain_fields.items()},
                "generator_photos": _brief(other) if other else None,
            }
            _print(label, result, cpu / len(scans), timing)
            for kind, r in plain_fields.items():
                print(f"  plain {kind} scans: {_brief(r)}")
            if other:
                print(f"  generator photo profile: {_brief(other)}")
    out = {
        "pages": len(scans),
        "reference": reference,
        "machine": describe(),
        "command": f"python -m bench.capture --pages {args.pages} --seed {args.seed}",
        "rows": rows,
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "capture.json").write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))


def _brief(result: dict) -> dict:
    return {
        "pages": result["readable_pages"],
        "field_accuracy": round(result["field_accuracy"] or 0.0, 4),
        "auto_accepted": round(result["auto_accepted_share"] or 0.0, 3),
        "silent_error_rate": round(result["silent_error_rate"], 4),
        "rejected": len(result.get("legible_rejected", []))
        if "legible_rejected" in result
        else None,
    }


def _plain_scans(folder: Path, count: int, seed: int) -> None:
    colour = folder / "colour"
    write_samples(colour, count, seed, profile="mixed", formats=("png",))
    grey = folder / "grey"
    grey.mkdir(parents=True)
    for path in colour.glob("*.png"):
        with Image.open(path) as image:
            image.convert("L").save(grey / path.name, dpi=image.info.get("dpi", (300, 300)))
        (grey / f"{path.stem}.truth.json").write_text(
            path.with_name(f"{path.stem}.truth.json").read_text(encoding="utf-8"),
            encoding="utf-8",
        )


def _print(label: str, result: dict, cpu: float, timing: dict) -> None:
    print(f"== {label}")
    print(
        f"fields {result['field_accuracy']:.4f}  accepted {result['auto_accepted_share']:.3f}  "
        f"silent {result['silent_error_rate']:.4f}  legible rejected "
        f"{len(result['legible_rejected'])}/{result['readable_pages']}  cpu {cpu:.2f} s/page"
    )
    for kind, c in result["by_kind"].items():
        print(f"  {kind:16s} {c}")
    print(f"  plain scans, CPU s/page: grey {timing['grey']:.3f}, colour {timing['colour']:.3f}")
    for uri, why in result["legible_rejected"]:
        print(f"  REJECTED {Path(uri).name}: {why}")
    for ex in result["silent_errors"][:10]:
        print("  SILENT", ex)


if __name__ == "__main__":
    main()
