"""The HTML report: one self-contained page (data, styles, Vega/Vega-Lite inline) per run set.

``build_report(records, store=..., comparison=...)`` gives the page's data, ``render_report``
the HTML, ``write_report`` writes it; ``HTMLReporter`` is the ``.html`` output of ``nnbench run``.
See ``docs/report.md``.
"""

from __future__ import annotations

from nnbench.reporter.html.build import HTMLReporter, build_report, render_report, write_report

__all__ = ["HTMLReporter", "build_report", "render_report", "write_report"]
