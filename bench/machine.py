"""A one-line description of the machine a figure was measured on."""

from __future__ import annotations

import os
import platform
import subprocess


def describe() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((ln.split(":", 1)[1].strip() for ln in info
                        if ln.startswith("model name")), cpu)
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    tess = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    tess_version = (tess.stdout or tess.stderr).splitlines()[0] if tess.returncode == 0 else "?"
    return (f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"CLI {tess_version}")
