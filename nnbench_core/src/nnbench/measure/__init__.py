"""Measurement: timing (warm-up, repeats, autorange), peak memory, sample statistics."""

from __future__ import annotations

from nnbench.measure.timing import check_options, measure

__all__ = ["check_options", "measure"]
