"""The report's charts as Vega-Lite specs: plain data, diffable, with named (empty) data sources.

The page compiles each spec once and fills its named data sources with the rows it draws, so a
10,000-member family is never copied into a spec. Field names used by the page:

* ``family`` (data ``rows``): ``member`` (label), ``i`` (position), ``value``, ``name``;
  ``family_large`` draws the same rows as one rectangle per member, without a label axis.
* ``timing`` (data ``stats``: ``name``, ``min``, ``q1``, ``median``, ``q3``, ``max``, ``iqr``;
  data ``samples``: ``name``, ``t``): a box per benchmark with its samples as points.
* ``history`` (data ``points``): ``t`` (ms since the epoch), ``run``, ``value``, ``current``,
  ``mark`` (``better``/``worse``/``changed``/``""``), ``p``.
* ``compare`` (data ``rows``): ``name``, ``run``, ``rel`` (percent), ``verdict``.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier, never fetched
VERDICT_COLORS = {"domain": ["better", "worse", "changed", "noise", "same", ""],
                  "range": ["#1a7f37", "#cf222e", "#bf8700", "#8c959f", "#8c959f", "#0969da"]}
_CONFIG = {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11},
           "font": "system-ui, sans-serif"}


def _base(data: str, **extra: Any) -> dict[str, Any]:
    return {"$schema": SCHEMA, "data": {"name": data}, "config": _CONFIG, **extra}


def family() -> dict[str, Any]:
    """Bars of a family's members, in collection order, labelled by their parameters."""
    return _base("rows", mark={"type": "bar", "tooltip": True}, encoding={
        "x": {"field": "member", "type": "nominal", "sort": None, "title": None,
              "axis": {"labelAngle": -45, "labelLimit": 140}},
        "y": {"field": "value", "type": "quantitative", "title": "value"},
        "tooltip": [{"field": "name", "title": "benchmark"},
                    {"field": "value", "title": "value", "format": ".6~g"}],
    })


def family_large() -> dict[str, Any]:
    """A family too large for labels: one rectangle per member, hover for its name."""
    return _base("rows", mark={"type": "rect", "tooltip": True}, encoding={
        "x": {"field": "i", "type": "quantitative", "title": "member (collection order)",
              "scale": {"nice": False, "zero": False}},
        "x2": {"field": "i1"},
        "y": {"field": "value", "type": "quantitative", "title": "value"},
        "y2": {"datum": 0},
        "tooltip": [{"field": "name", "title": "benchmark"},
                    {"field": "value", "title": "value", "format": ".6~g"}],
    })


def timing() -> dict[str, Any]:
    """Box plots (whiskers min-max, box Q1-Q3, median tick) with the samples as points."""
    y = {"field": "name", "type": "nominal", "sort": None, "title": None,
         "axis": {"labelLimit": 260}}
    tip = [{"field": "name", "title": "benchmark"},
           *({"field": f, "title": t, "format": ".4~g"} for f, t in (
               ("median", "median"), ("iqr", "IQR"), ("q1", "Q1"), ("q3", "Q3"),
               ("min", "min"), ("max", "max")))]
    return {
        "$schema": SCHEMA, "config": _CONFIG,
        "encoding": {"y": y},
        "layer": [
            {"data": {"name": "stats"}, "mark": {"type": "rule", "color": "#57606a"},
             "encoding": {"x": {"field": "min", "type": "quantitative", "title": None,
                                "scale": {"zero": False}},
                          "x2": {"field": "max"}}},
            {"data": {"name": "stats"},
             "mark": {"type": "bar", "size": 14, "color": "#54aeff", "opacity": 0.6,
                      "tooltip": True},
             "encoding": {"x": {"field": "q1", "type": "quantitative"}, "x2": {"field": "q3"},
                          "tooltip": tip}},
            {"data": {"name": "samples"},
             "mark": {"type": "point", "size": 10, "opacity": 0.35, "color": "#24292f",
                      "filled": True},
             "encoding": {"x": {"field": "t", "type": "quantitative"}}},
            {"data": {"name": "stats"},
             "mark": {"type": "tick", "color": "#cf222e", "thickness": 2, "size": 18},
             "encoding": {"x": {"field": "median", "type": "quantitative"}, "tooltip": tip}},
        ],
    }


def history() -> dict[str, Any]:
    """A benchmark's value across the suite's runs; significant changes drawn large."""
    x = {"field": "t", "type": "temporal", "title": None}
    return {
        "$schema": SCHEMA, "config": _CONFIG, "data": {"name": "points"},
        "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "title": None,
                                   "scale": {"zero": False}}},
        "layer": [
            {"mark": {"type": "line", "color": "#57606a", "point": {"color": "#57606a"}}},
            {"transform": [{"filter": "datum.mark"}],
             "mark": {"type": "point", "filled": True, "size": 110, "tooltip": True},
             "encoding": {"color": {"field": "mark", "type": "nominal", "legend": None,
                                    "scale": VERDICT_COLORS},
                          "tooltip": [{"field": "run"}, {"field": "value", "format": ".6~g"},
                                      {"field": "mark", "title": "change"},
                                      {"field": "p", "title": "p-value", "format": ".3g"}]}},
            {"transform": [{"filter": "datum.current"}],
             "mark": {"type": "point", "shape": "diamond", "size": 140, "filled": False,
                      "color": "#0969da", "strokeWidth": 2}},
        ],
    }


def compare() -> dict[str, Any]:
    """Relative change (%) per benchmark and candidate, coloured by verdict."""
    return _base("rows", mark={"type": "bar", "tooltip": True}, encoding={
        "y": {"field": "name", "type": "nominal", "sort": None, "title": None,
              "axis": {"labelLimit": 260}},
        "yOffset": {"field": "run", "type": "nominal"},
        "x": {"field": "rel", "type": "quantitative", "title": "change (%)"},
        "color": {"field": "verdict", "type": "nominal", "scale": VERDICT_COLORS,
                  "legend": {"title": None, "orient": "bottom"}},
        "tooltip": [{"field": "name"}, {"field": "run"},
                    {"field": "rel", "title": "change (%)", "format": "+.3~f"},
                    {"field": "verdict"}],
    })


def all_specs() -> dict[str, dict[str, Any]]:
    """Every chart the page draws, by name."""
    return {"family": family(), "family_large": family_large(), "timing": timing(),
            "history": history(), "compare": compare()}
