"""Per-sample outcomes of a metric: ``nnbench.Samples``.

A benchmark may return ``Samples`` instead of a plain number. Its ``value`` stays the result's
headline number; the outcomes go into ``result["samples"]`` (the store and result files keep
them) so that ``nnbench compare`` can test two runs on the same samples with a paired test.

Each statistic is a ratio of sums of per-sample counts, so any resample of the samples gives
the statistic again by adding counts (a zero denominator gives 0.0)::

    mean       sum(score) / number of samples
    accuracy   sum(correct) / sum(total)        (total defaults to 1 per sample)
    precision  sum(tp) / sum(tp + fp)
    recall     sum(tp) / sum(tp + fn)
    f1         sum(2 tp) / sum(2 tp + fp + fn)

A count is one number per sample, or one row of numbers per sample (one per class): then the
statistic is the macro average, the mean over classes of the per-class statistic. A per-sample
count beside per-class ones counts for every class.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: The per-sample key of a constant 1 in a statistic's linear forms.
ONE = ""


@dataclasses.dataclass(frozen=True)
class Statistic:
    """``numerator / denominator``, each a linear form over count names (``ONE``: 1 per sample)."""

    name: str
    counts: tuple[str, ...]
    numerator: tuple[tuple[str, float], ...]
    denominator: tuple[tuple[str, float], ...]
    defaults: tuple[str, ...] = ()  # counts that may be left out: 1 per sample

    def value(self, sums: Mapping[str, float]) -> float:
        """The statistic from the sums of its counts (``sums[ONE]`` = number of samples)."""
        den = math.fsum(c * sums[k] for k, c in self.denominator)
        return math.fsum(c * sums[k] for k, c in self.numerator) / den if den else 0.0


STATISTICS: dict[str, Statistic] = {s.name: s for s in (
    Statistic("mean", ("score",), (("score", 1),), ((ONE, 1),)),
    Statistic("accuracy", ("correct", "total"), (("correct", 1),), (("total", 1),), ("total",)),
    Statistic("precision", ("tp", "fp"), (("tp", 1),), (("tp", 1), ("fp", 1))),
    Statistic("recall", ("tp", "fn"), (("tp", 1),), (("tp", 1), ("fn", 1))),
    Statistic("f1", ("tp", "fp", "fn"), (("tp", 2),), (("tp", 2), ("fp", 1), ("fn", 1))),
)}


class Samples:
    """A metric's value with the per-sample counts it is computed from.

    ``Samples("f1", ids, tp=[...], fp=[...], fn=[...])``: ``ids`` name the samples (ints or
    strings, unique; two runs are compared on equal ids), every count has one entry per id (a
    number, or a row of numbers per class for a macro average). ``value`` is the headline
    number; when omitted it is computed from the counts.
    """

    __slots__ = ("statistic", "ids", "counts", "value")

    def __init__(self, statistic: str, ids: Iterable[int | str], *, value: float | None = None,
                 **counts: Any) -> None:
        stat = STATISTICS.get(statistic)
        if stat is None:
            raise ValueError(f"Samples: unknown statistic {statistic!r}; use one of "
                             f"{', '.join(STATISTICS)}")
        self.statistic = statistic
        self.ids = _ids(ids)
        missing = [k for k in stat.counts if k not in counts and k not in stat.defaults]
        unknown = sorted(set(counts) - set(stat.counts))
        if missing or unknown:
            raise ValueError(f"Samples({statistic!r}) takes counts {', '.join(stat.counts)}"
                             + (f"; missing {', '.join(missing)}" if missing else "")
                             + (f"; unknown {', '.join(unknown)}" if unknown else ""))
        self.counts = {k: _column(k, v, len(self.ids)) for k, v in counts.items()}
        if _classes(self.counts.values()) == -1:
            raise ValueError("Samples: per-class counts must have the same number of classes")
        self.value = self.compute() if value is None else value

    def compute(self) -> float:
        """The statistic recomputed from the counts (the macro average for per-class counts)."""
        stat = STATISTICS[self.statistic]
        n = float(len(self.ids))
        sums: list[dict[str, float]] = [{ONE: n} for _ in range(max(_classes(self.counts.values()), 1))]
        for name in stat.counts:
            col = self.counts.get(name)
            if col and isinstance(col[0], list):
                for c, per_class in enumerate(sums):
                    per_class[name] = math.fsum(row[c] for row in col)
            else:
                total = n if col is None else math.fsum(col)
                for per_class in sums:
                    per_class[name] = total
        return math.fsum(stat.value(s) for s in sums) / len(sums)

    def to_dict(self) -> dict[str, Any]:
        """``{"statistic", "ids", "counts"}``: the JSON form kept in ``result["samples"]``."""
        return {"statistic": self.statistic, "ids": self.ids, "counts": self.counts}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], value: float | None = None) -> Samples:
        try:
            return cls(data["statistic"], data["ids"], value=value, **data["counts"])
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a samples record: {exc}") from exc

    def __repr__(self) -> str:
        return (f"Samples({self.statistic!r}, {len(self.ids)} ids, value={self.value!r}, "
                f"counts={sorted(self.counts)})")


def _tolist(obj: Any) -> Any:
    tolist = getattr(obj, "tolist", None)  # numpy arrays and torch tensors, without importing them
    return tolist() if callable(tolist) else obj


def _ids(ids: Iterable[int | str]) -> list[int | str]:
    out = list(_tolist(ids) if not isinstance(ids, range) else ids)
    if not set(map(type, out)) <= {int, str}:
        raise ValueError("Samples: ids must be ints or strings")
    if len(set(out)) != len(out):
        raise ValueError(f"Samples: {len(out) - len(set(out))} duplicate id(s); ids must be unique")
    return out


def _numbers(name: str, values: list[Any]) -> list[Any]:
    kinds = set(map(type, values))
    if not kinds <= {int, float}:
        if not kinds <= {int, float, bool}:
            raise ValueError(f"Samples: count {name!r} holds non-numbers ({', '.join(sorted(t.__name__ for t in kinds - {int, float}))})")
        values = [int(v) if type(v) is bool else v for v in values]
    if float in kinds and not math.isfinite(sum(values)):
        raise ValueError(f"Samples: count {name!r} holds a non-finite number")
    return values


def _column(name: str, values: Any, n: int) -> list[Any]:
    """One count as a list (per sample) or a list of per-class rows, checked."""
    col = list(_tolist(values))
    if len(col) != n:
        raise ValueError(f"Samples: count {name!r} has {len(col)} entries for {n} ids")
    if col and isinstance(col[0], Sequence) and not isinstance(col[0], str):
        rows = [_numbers(name, list(_tolist(r))) for r in col]
        if len(set(map(len, rows))) > 1:
            raise ValueError(f"Samples: count {name!r} has rows of different lengths")
        return rows
    return _numbers(name, col)


def _classes(columns: Iterable[list[Any]]) -> int:
    """The number of classes of per-class counts (0: none; -1: they disagree)."""
    found = {len(col[0]) for col in columns if col and isinstance(col[0], list)}
    return -1 if len(found) > 1 else (found.pop() if found else 0)
