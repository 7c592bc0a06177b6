"""The dashboard draws the HTML report's charts with Vietnamese words."""

from __future__ import annotations

from sohoa.reports.html import CHART_LABELS
from sohoa.web.dashboard_view import draw_charts
from tests.sohoa.reports.report_fixtures import report_with_charts
from tests.sohoa.reports.test_html import drawn_words


def test_the_dashboard_charts_are_in_vietnamese(sqlite_engine):
    charts = draw_charts(report_with_charts(sqlite_engine))
    assert set(charts) == {"trend", "ranking", "progress"}
    vi, en = CHART_LABELS["vi"], CHART_LABELS["en"]
    words = {name: drawn_words(svg) for name, svg in charts.items()}
    assert vi.percent in words["trend"] and vi.indicator("reuse_rate") in words["trend"]
    assert vi.points in words["ranking"]
    assert "Trả kết quả điện tử (tối đa 6 điểm)" in words["ranking"]
    assert vi.progress_axis in words["progress"] and "25920 khai sinh 1987" in words["progress"]
    english = {en.percent, en.points, en.progress_axis, "reuse_rate", "25920 birth 1987"}
    assert not english & set().union(*words.values())
