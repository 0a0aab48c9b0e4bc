"""What executors report back to the session, as plain picklable data."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

EventKind = Literal["loaded", "start", "result", "done", "transfer"]


@dataclasses.dataclass
class UnitEvent:
    """One thing that happened to a unit, reported as it happens.

    ``loaded``: the unit's artifacts are local (``artifacts`` has their provenance, ``worker``
    where it runs); ``start``: the benchmark at ``position`` is about to run (serial only);
    ``result``: its ``result`` dict; ``done``: the unit ended, with ``error`` set when it failed
    as a whole (a loader error, a worker that died twice); ``transfer``: a download in the
    worker, for the driver's progress display (``result`` is ``ForwardingSink``'s payload, see
    ``nnbench.artifacts.transfers``; consumers that show no progress ignore it).
    """

    kind: EventKind
    unit: int
    position: int = -1
    result: dict[str, Any] | None = None
    artifacts: dict[str, Any] | None = None
    worker: dict[str, Any] | None = None
    error: str | None = None
    error_type: str | None = None
    exception: BaseException | None = dataclasses.field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        state["exception"] = None  # exceptions may not pickle; the text travels
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
