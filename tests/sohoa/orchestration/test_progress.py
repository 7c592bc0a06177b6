"""``sohoa run``'s progress: notes always, a bar of pages only on a terminal."""

from __future__ import annotations

from sohoa.orchestration import progress


def test_in_a_pipe_or_a_log_there_are_notes_and_no_bar(monkeypatch, capfd):
    monkeypatch.setenv("SOHOA_PROGRESS", "1")  # what sohoa run sets when stderr is not a tty
    progress.pages_planned(3)
    progress.pages_read(3)
    progress.progress("batch 1: read 3 page(s)")
    progress.pages_done()
    err = capfd.readouterr().err
    assert "batch 1: read 3 page(s)" in err and "page/s" not in err and "\r" not in err


def test_on_a_terminal_the_pages_show_as_a_bar_below_the_notes(monkeypatch, capfd):
    monkeypatch.setenv("SOHOA_PROGRESS", "bar")
    progress.pages_planned(4)
    progress.pages_read(1)
    progress.progress("batch 1: read 1 page(s)")
    progress.pages_read(3)
    progress.pages_done()
    err = capfd.readouterr().err
    assert "batch 1: read 1 page(s)" in err
    assert "4/4 [" in err and "page/s]" in err


def test_nothing_at_all_by_default(monkeypatch, capfd):
    monkeypatch.delenv("SOHOA_PROGRESS", raising=False)
    progress.pages_planned(2)
    progress.progress("quiet")
    progress.pages_done()
    assert capfd.readouterr().err == ""
