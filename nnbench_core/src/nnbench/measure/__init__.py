"""Measurement: timing (warm-up, repeats, autorange), peak memory, sample statistics."""
