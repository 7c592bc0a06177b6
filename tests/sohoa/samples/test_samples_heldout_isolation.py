"""The corrector never loads the held-out names (a real extraction, watched by an audit hook)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sohoa.samples import lexicon, write_samples

ROOT = Path(__file__).resolve().parents[3]

_WATCH = """
import json, sys
from pathlib import Path
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, Path)):
        opened.append(str(args[0]))
sys.addaudithook(hook)
from sohoa.commands.extract import extract_all
records = [r for recs, _ in extract_all([Path(sys.argv[1])], 1) for r in recs]
samples = sorted(m for m in sys.modules if m.startswith("sohoa.samples"))
print(json.dumps({"opened": opened, "records": len(records), "samples_modules": samples}))
"""


def test_extraction_never_opens_the_held_out_list(tmp_path):
    scan = write_samples(tmp_path, 1, 4, profile="clean", doc_types=["birth"], dpi=200)[0]
    done = subprocess.run(
        [sys.executable, "-c", _WATCH, str(scan)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["records"] == 1
    # The hook sees the corrector's own lexicon being read: it is watching the right thing.
    assert any(p.endswith("names.json") for p in report["opened"])
    held = str(lexicon.HELD_OUT_FILE)
    assert not [p for p in report["opened"] if Path(p).name == Path(held).name]
    assert report["samples_modules"] == []


def test_no_module_under_ocr_names_the_held_out_file():
    for path in (ROOT / "ocr").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "heldout" not in text and "held_out" not in text, path
