"""When a chart says 暂无数据: never over a rate that was worked out to 0% (返工率 0% of 30 cases is a figure)."""

from zhenwu.charts import Chart, Series


def test_a_rate_of_zero_percent_is_drawn_not_called_missing() -> None:
    chart = Chart("rework", "返工率", "bar", ["杏林村"], [Series("返工率", [0.0], unit="%")])
    assert not chart.empty


def test_a_rate_that_could_not_be_worked_out_is_missing() -> None:
    assert Chart("rework", "返工率", "bar", ["杏林村"], [Series("返工率", [None], unit="%")]).empty


def test_counts_that_are_all_zero_or_no_categories_are_nothing_to_draw() -> None:
    assert Chart("n", "件数", "bar", ["一", "二"], [Series("件数", [0, 0])]).empty
    assert Chart("n", "件数", "bar", [], [Series("件数", [])]).empty
    assert not Chart("n", "件数", "bar", ["一", "二"], [Series("件数", [0, 2])]).empty
