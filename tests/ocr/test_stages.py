"""CPU seconds per stage, with inner stages counted apart."""

import time

from ocr.stages import TOTALS, stage


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_an_inner_stage_is_taken_out_of_the_outer_one():
    TOTALS.clear()
    with stage("outer"):
        _spin(0.05)
        with stage("inner"):
            _spin(0.1)
    assert 0.09 <= TOTALS["inner"] < 0.2
    assert 0.04 <= TOTALS["outer"] < 0.09  # its own work only
    TOTALS.clear()
