"""The page is one self-contained file: no external reference, data that cannot break out."""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources

from nnbench.reporter.html import build_report, render_report
from nnbench.reporter.html.demo import synthetic_run
from nnbench.reporter.html.page import data_json
from nnbench.reporter.html.specs import all_specs

DATA = re.compile(r'<script type="application/json" id="nnbench-data">(.*?)</script>', re.S)


def _page(records, **kw):
    payload = build_report(records, **kw)
    return payload, render_report(payload)


def test_nothing_is_loaded_from_anywhere():
    _, html = _page([synthetic_run()])
    tags = re.findall(r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*>", html)
    assert tags and all(not re.search(r"\b(src|href|data)\s*=", t) or 'href="data:,"' in t
                        for t in tags), tags
    assert "default-src 'none'" in html and "connect-src 'none'" in html  # CSP forbids fetches
    assert "@@" not in html and "/*@" not in html  # every slot filled


def test_the_data_round_trips_and_markup_in_values_stays_data():
    evil = "</script><script>alert(1)</script><!-- & \u2028"
    rec = synthetic_run()
    rec.benchmarks[0]["value"] = evil
    rec.benchmarks[0]["name"] = evil
    payload, html = _page([rec], title=evil)
    assert html.count("<script") == 3  # the data, the libraries, the app
    (blob,) = DATA.findall(html)
    assert json.loads(blob)["runs"][0]["results"][0]["value"] == evil
    assert "<title>&lt;/script&gt;" in html


def test_non_finite_numbers_become_strings():
    text = data_json({"a": float("nan"), "b": [float("inf"), 1.5]})
    assert json.loads(text) == {"a": "nan", "b": ["inf", 1.5]}


def test_the_vendored_libraries_are_the_ones_recorded():
    vendor = resources.files("nnbench.reporter.html").joinpath("vendor")
    manifest = json.loads(vendor.joinpath("MANIFEST.json").read_text())
    for name, entry in manifest["files"].items():
        data = vendor.joinpath(name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert entry["license"] == "BSD-3-Clause"


def test_specs_are_plain_data_with_named_sources():
    specs = all_specs()
    assert json.loads(json.dumps(specs)) == specs
    text = json.dumps(specs)
    assert '"values"' not in text and '"url"' not in text  # data is filled in by the page
    assert specs["timing"]["layer"][2]["data"] == {"name": "samples"}


def test_a_report_of_nothing_and_of_a_compare():
    payload, html = _page([])
    assert payload["runs"] == [] and "nnbench report" in html
    from nnbench.compare import compare

    base, cand = synthetic_run(seed=1), synthetic_run(seed=2, slower=0.2)
    base.run, cand.run = "base", "cand"
    payload, _ = _page([cand], comparison=compare([base, cand], ["latency<=+5%"]))
    cmp = payload["compare"]
    assert cmp["base"] == "base" and cmp["candidates"] == ["cand"] and not cmp["passed"]
    row = next(r for r in cmp["rows"] if r["name"] == "latency")
    assert row["gate"] == "FAIL" and row["changes"]["cand"]["significant"] is True
    assert payload["title"] == "nnbench compare: base → cand"


def test_several_runs_with_one_name_get_told_apart():
    a, b = synthetic_run(seed=1), synthetic_run(seed=2)
    payload = build_report([a, b])
    labels = [r["label"] for r in payload["runs"]]
    assert labels[0] != labels[1] and all(lbl.startswith("demo#") for lbl in labels)
