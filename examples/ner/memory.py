"""Memory figures: peak resident set size over a block, and a model's footprint."""

from __future__ import annotations

from pathlib import Path

import psutil

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


class PeakRSS:
    """Peak RSS (bytes) inside a `with` block.

    On Linux the kernel's high-water mark is reset on entry and read on exit, so short spikes
    count; elsewhere the peak is the largest of the samples taken with `sample()`.
    """

    def __init__(self) -> None:
        self._process = psutil.Process()
        self.peak = 0

    def __enter__(self) -> PeakRSS:
        try:
            _CLEAR_REFS.write_text("5")  # "5" resets VmHWM to the current RSS
        except OSError:
            pass
        self.sample()
        return self

    def sample(self) -> None:
        self.peak = max(self.peak, self._process.memory_info().rss)

    def __exit__(self, *exc) -> None:
        self.sample()
        self.peak = max(self.peak, _high_water_mark())


def _high_water_mark() -> int:
    """VmHWM from /proc/self/status in bytes, or 0 where it is not available."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def model_footprint(model) -> int:
    """Bytes held by a torch module's parameters and buffers."""
    tensors = [*model.parameters(), *model.buffers()]
    return sum(t.numel() * t.element_size() for t in tensors)
