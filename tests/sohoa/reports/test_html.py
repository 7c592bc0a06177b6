"""The HTML report's charts speak one language at a time, the report's: Vietnamese by
default (and on the dashboard), English with ``lang="en"``."""

from __future__ import annotations

import re

import pytest

from sohoa.db.tables import BOOK_TYPES
from sohoa.kpi.indicators import INDICATORS
from sohoa.reports import html
from sohoa.reports.html import CHART_LABELS
from tests.sohoa.reports.report_fixtures import report_with_charts


def drawn_words(svg: str) -> set[str]:
    """The texts of a matplotlib SVG: glyphs are drawn as paths, each text element is
    preceded by a comment holding its string."""
    return set(re.findall(r"<!-- (.*?) -->", svg))


def _charts(report, lang: str) -> dict[str, str]:
    return {
        "headline": html.headline_chart(report, lang),
        "trend": html.trend_chart(report["trend"], lang),
        "ranking": html.ranking_chart(report["units"], lang),
        "progress": html.progress_chart(report["register_progress"], lang),
    }


@pytest.fixture(scope="module")
def report(sqlite_template, tmp_path_factory):
    """Built once for the module (the charts are only read)."""
    import shutil

    from sohoa.db.engine import make_engine

    path = tmp_path_factory.mktemp("report") / "sohoa.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        return report_with_charts(engine)
    finally:
        engine.dispose()


def _expected(words, report) -> dict[str, set[str]]:
    legend = {words.indicator(i.key) for i in INDICATORS}
    ranked = {
        words.with_max.format(name=words.indicator(i.key), points=i.max_points) for i in INDICATORS
    }
    row = next(
        r
        for r in report["register_progress"]
        if r["level"] == "unit" and r["progress_rate"] is not None
    )
    return {
        "headline": {words.percent_target} | legend,
        "trend": {words.percent} | legend,
        "ranking": {words.points} | ranked,
        "progress": {
            words.progress_axis,
            f"{row['unit_code']} {words.book_type(row['book_type'])} {row['year']}",
            words.percent_value(row["progress_rate"]),
        },
    }


def test_the_report_charts_carry_english_words(report):
    words = CHART_LABELS["en"]
    for name, svg in _charts(report, "en").items():
        assert _expected(words, report)[name] <= drawn_words(svg), name
    assert "percent (dashed line: target)" in drawn_words(html.headline_chart(report))
    assert "25920 birth 1987" in drawn_words(html.progress_chart(report["register_progress"]))


def test_the_english_report_file_has_english_charts(report):
    page = html.render_html(report, "en")
    found = drawn_words(page)
    assert {"percent (dashed line: target)", "points", "entries digitized / declared (%)"} <= found
    vietnamese = CHART_LABELS["vi"]
    assert not {vietnamese.percent, vietnamese.points, vietnamese.progress_axis} & found


def test_the_report_file_has_vietnamese_charts_by_default(report):
    found = drawn_words(html.render_html(report))
    vietnamese, english = CHART_LABELS["vi"], CHART_LABELS["en"]
    assert {vietnamese.percent_target, vietnamese.points, vietnamese.progress_axis} <= found
    assert not {english.percent_target, english.points, english.progress_axis} & found


def test_the_same_charts_in_vietnamese(report):
    words = CHART_LABELS["vi"]
    english = CHART_LABELS["en"]
    for name, svg in _charts(report, "vi").items():
        found = drawn_words(svg)
        assert _expected(words, report)[name] <= found, name
        assert not _expected(english, report)[name] & found, name  # no English left
    progress = drawn_words(html.progress_chart(report["register_progress"], "vi"))
    assert "25920 khai sinh 1987" in progress and "25,0 %" in progress
    months = drawn_words(html.trend_chart(report["trend"], "vi"))
    assert "06/2024" in months and "2024-06" not in months  # months as written in Vietnam
    assert "2024-06" in drawn_words(html.trend_chart(report["trend"], "en"))


def test_both_languages_draw_the_same_shapes(report):
    """One plotting code for both: only the words differ."""
    shapes = re.compile(r'<g id="(patch|line2d)_\d+"')
    for (name, en), vi in zip(
        _charts(report, "en").items(), _charts(report, "vi").values(), strict=True
    ):
        assert len(shapes.findall(en)) == len(shapes.findall(vi)) > 0, name


def test_the_vietnamese_table_names_every_indicator_and_book_type():
    words = CHART_LABELS["vi"]
    for i in INDICATORS:
        assert words.indicator(i.key) != i.key
    for book_type in BOOK_TYPES:
        assert words.book_type(book_type) != book_type


def test_empty_charts_say_so_in_their_language():
    assert CHART_LABELS["vi"].no_ranked in html.ranking_chart([], "vi")
    assert "No unit has dossiers" in html.ranking_chart([])
    assert CHART_LABELS["vi"].no_progress in html.progress_chart([], "vi")
