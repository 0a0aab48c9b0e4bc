"""The HTML report in headless Chromium: no request leaves the file, tables sort, filter and
page, families expand, every chart renders, and a 10,000-member family stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from nnbench.compare import compare
from nnbench.reporter import write_report
from nnbench.reporter.html.demo import synthetic_run, synthetic_store


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    records = synthetic_store(folder / "results.db", runs=6)
    base, last = records[-2], records[-1]
    out = {"history": folder / "history.html", "large": folder / "large.html"}
    write_report([last], str(out["history"]), store=folder / "results.db",
                 comparison=compare([base, last], ["latency<=+5%"]))
    write_report([synthetic_run(name="large", members=10_000)], str(out["large"]))
    return out


def rows(opened, selector: str = "#results tbody tr.result, #results tbody tr.family"):
    return opened.page.eval_on_selector_all(selector, "els => els.map(e => e.dataset.name || e.dataset.family)")


def test_opening_makes_no_request_and_logs_no_error(open_report, reports):
    opened = open_report(reports["history"])
    assert opened.requests == [reports["history"].resolve().as_uri()]
    assert opened.blocked == [] and opened.errors == []
    assert opened.page.title() == "nnbench compare: nightly-5 → nightly-6"


def test_failures_come_first_and_columns_sort(open_report, reports):
    opened = open_report(reports["history"])
    assert rows(opened)[0] == "broken_metric"
    page = opened.page
    opened.act(lambda: page.click('th[data-sort="name"]'))
    names = rows(opened)
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    opened.act(lambda: page.click('th[data-sort="name"]'))
    assert rows(opened) == names[::-1]
    opened.act(lambda: page.click('th[data-sort="time"]'))
    assert rows(opened)[-1] == "latency"  # 12 ms, the slowest


def test_search_tag_and_status_filter_the_table(open_report, reports):
    opened = open_report(reports["history"])
    page = opened.page
    opened.act(lambda: page.fill("#search", "recall"))
    assert rows(opened) == ["recall"]
    assert page.inner_text("#results-count") == "1 of 15 results"
    opened.act(lambda: page.fill("#search", ""))
    opened.act(lambda: page.select_option("#tag-filter", "speed"))
    assert rows(opened) == ["latency"]
    opened.act(lambda: page.select_option("#tag-filter", ""))
    opened.act(lambda: page.select_option("#status-filter", "failed"))
    assert rows(opened) == ["broken_metric"]
    assert "labels differ" in page.inner_text("tr.failed")


def test_a_family_expands_into_its_members_and_a_bar_chart(open_report, reports):
    opened = open_report(reports["history"])
    page = opened.page
    assert page.locator("tr.member").count() == 0
    opened.act(lambda: page.click('tr[data-family="f1_per_class"] button.toggle'))
    assert page.locator("tr.member").count() == 9
    chart = page.locator(".family-chart[data-rendered='1'] svg")
    assert chart.count() == 1
    assert page.locator(".family-chart svg .mark-rect path").count() == 9  # one bar per member
    assert opened.errors == []


def test_every_tab_draws_its_charts(open_report, reports, tmp_path):
    opened = open_report(reports["history"])
    page = opened.page
    opened.act(lambda: page.click("#tab-timings"))
    assert page.locator(".timing-chart[data-rendered='1'] svg .mark-symbol path").count() == 30
    opened.act(lambda: page.click("#tab-history"))
    assert page.locator(".history-chart[data-rendered='1'] svg").count() == 12
    latency = page.locator('.card[data-name="latency"]')
    assert "worse" in latency.inner_text()
    opened.act(lambda: page.click("#tab-compare"))
    order = rows(opened, "#compare tbody tr")
    assert order[:2] == ["latency", "accuracy"]  # the failed gate, then a significant regression
    assert "1 gate failure" in page.inner_text("#compare-summary")
    assert page.locator(".compare-chart[data-rendered='1'] svg").count() == 1
    opened.act(lambda: page.click("#tab-run"))
    assert "hf:demo/bert-tiny@main" in page.inner_text("#view-run")
    assert page.evaluate("window.nnbenchReport.chartErrors") == []
    assert opened.errors == [] and opened.blocked == []
    shot = tmp_path / "report.png"
    opened.act(lambda: page.click("#tab-history"))
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_a_10000_member_family_renders_and_pages(open_report, reports):
    opened = open_report(reports["large"])
    page = opened.page
    assert "10000 members" in page.inner_text('tr[data-family="score"]')
    opened.act(lambda: page.click('tr[data-family="score"] button.toggle'))
    assert page.locator("tr.member").count() == 50
    assert page.locator(".family-chart[data-rendered='1'] canvas").count() == 1
    assert page.inner_text("#member-pager .page") == "page 1 of 200"
    opened.act(lambda: page.click("#member-pager .next"))
    assert page.inner_text("#member-pager .page") == "page 2 of 200"
    assert rows(opened, "tr.member")[0] == "score_i=50"
    opened.act(lambda: page.fill("#search", "score_i=9999"))
    assert rows(opened, "tr.member") == ["score_i=9999"]
    assert opened.errors == [] and opened.blocked == []
