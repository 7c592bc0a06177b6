"""Run a command with its stderr on a real terminal (a pseudo-terminal), as a person at a
shell sees it; stdout stays a pipe, as in ``sohoa extract DIR > records.jsonl``."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import termios
import threading
from dataclasses import dataclass

# done/total [elapsed<left, rate]: what tqdm draws, e.g. "3/3 [00:01<00:00, 2.40file/s]"
BAR = r"(\d+)/(\d+) \[\d\d:\d\d<\d\d:\d\d, +[\d.]+(?:s/)?{unit}(?:/s)?\]"


def bar_counts(text: str, unit: str) -> list[tuple[int, int]]:
    """Every (done, total) a bar of ``unit`` showed in ``text``."""
    return [(int(d), int(t)) for d, t in re.findall(BAR.format(unit=unit), text)]


@dataclass
class Result:
    returncode: int
    stdout: str
    terminal: str  # everything written to the terminal (stderr)


def run_on_terminal(argv: list[str], *, env=None, cwd=None, timeout: float = 600) -> Result:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env, cwd=cwd
    )
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        out, _ = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(timeout=10)
    os.close(master)
    return Result(proc.returncode, out.decode(), b"".join(chunks).decode(errors="replace"))
