"""Peak memory of one benchmark: resident set size (RSS) and, on GPU, CUDA allocations.

RSS method, chosen at run time and named in the result:

* ``"proc-clear-refs"`` (Linux): write ``5`` to ``/proc/self/clear_refs``, which resets the
  kernel's peak-RSS counter (``VmHWM``) to the current RSS; afterwards ``VmHWM`` is the true peak
  during the benchmark. Exact, no thread, no cost while the benchmark runs.
* ``"ru_maxrss"`` (elsewhere, or where the reset is refused): the growth of the process-lifetime
  peak from ``resource.getrusage``. A lower bound: a benchmark that peaks below an earlier peak
  of the process reports 0.

CUDA (only when torch is already imported and CUDA is initialised; torch is never imported
here): ``torch.cuda.reset_peak_memory_stats()`` before, ``max_memory_allocated()`` after.
"""

from __future__ import annotations

import sys
from typing import Any

_STATUS = "/proc/self/status"


def _status_kib(*fields: str) -> dict[str, int]:
    out: dict[str, int] = {}
    with open(_STATUS, encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in fields:
                out[key] = int(rest.split()[0])
    return out


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _maxrss_bytes() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _cuda() -> Any:
    torch = sys.modules.get("torch")
    cuda = getattr(torch, "cuda", None)
    try:
        return cuda if cuda is not None and cuda.is_initialized() else None
    except Exception:
        return None


class PeakMemory:
    """``start()`` before the benchmark, ``stop()`` after: a JSON-safe dict of peaks in bytes."""

    def start(self) -> None:
        self.method = "unavailable"
        self.base = None
        if _reset_peak():
            try:
                self.base = _status_kib("VmRSS")["VmRSS"] * 1024
                self.method = "proc-clear-refs"
            except (OSError, KeyError, ValueError):
                pass
        if self.base is None:
            self.base = _maxrss_bytes()
            if self.base is not None:
                self.method = "ru_maxrss"
        cuda = _cuda()
        self.cuda_base = None
        if cuda is not None:
            cuda.reset_peak_memory_stats()
            self.cuda_base = cuda.memory_allocated()

    def stop(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rss_method": self.method}
        peak = None
        if self.method == "proc-clear-refs":
            peak = _status_kib("VmHWM")["VmHWM"] * 1024
        elif self.method == "ru_maxrss":
            peak = _maxrss_bytes()
        if peak is not None and self.base is not None:
            out["rss_peak_bytes"] = peak
            out["rss_peak_increase_bytes"] = max(0, peak - self.base)
        cuda = _cuda()
        if cuda is not None:
            # CUDA first initialised inside the benchmark: its peak since then is the benchmark's.
            peak_cuda = cuda.max_memory_allocated()
            out["cuda_max_allocated_bytes"] = peak_cuda
            out["cuda_peak_increase_bytes"] = max(0, peak_cuda - (self.cuda_base or 0))
        return out
