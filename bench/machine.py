"""A one-line description of the machine a figure was measured on."""

from __future__ import annotations

import os
import platform
import subprocess
import sys


def host() -> str:
    """Cores, CPU, memory, system and the Python interpreter, with its path: an optimised
    build and a plain source build of one version differ by a fifth in the loader."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), cpu
            )
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()} "
        f"({os.path.realpath(sys.executable)})"
    )


def describe() -> str:
    """:func:`host` and the Tesseract CLI's version (the scan reader's benchmarks)."""
    tess = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    tess_version = (tess.stdout or tess.stderr).splitlines()[0] if tess.returncode == 0 else "?"
    return f"{host()}, CLI {tess_version}"
