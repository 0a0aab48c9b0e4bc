"""Measurement: timing statistics, memory, context, compare and gates (issue 6)."""
