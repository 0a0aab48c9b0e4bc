"""NER metrics on word-level tag sequences: one-vs-rest token scores and seqeval entity scores.

Both are computed from per-sentence counts (true positives, false positives and false negatives
of each label or entity type, and words), which the benchmarks also return as per-sample
outcomes (`nnbench.Samples`) so that `nnbench compare` can test two models on the same sentences.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from statistics import fmean

from entities import conlleval_spans, iob2_spans

Tags = Sequence[Sequence[str]]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    accuracy: float | None = None
    support: int = 0


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass
class Counts:
    """Per-sentence counts of one label or entity type."""

    tp: list[int]
    fp: list[int]
    fn: list[int]


@dataclass
class SentenceCounts:
    """Per-sentence counts of every label (or entity type), plus words and correct words."""

    keys: tuple[str, ...]
    by_key: dict[str, Counts]
    words: list[int]
    correct: list[int] = field(default_factory=list)  # words whose tag is right

    @cached_property
    def rows(self) -> dict[str, list[tuple[int, ...]]]:
        """tp, fp, fn and one-vs-rest correct words per sentence as rows over ``keys``."""
        cols = [self.by_key[k] for k in self.keys]
        return {
            "tp": list(zip(*(c.tp for c in cols), strict=True)),
            "fp": list(zip(*(c.fp for c in cols), strict=True)),
            "fn": list(zip(*(c.fn for c in cols), strict=True)),
            "correct": list(zip(*(self.one_vs_rest_correct(k) for k in self.keys), strict=True)),
        }

    def get(self, key: str) -> Counts:
        """The counts of ``key``; zeros for a type found in neither gold nor predictions."""
        c = self.by_key.get(key)
        return c if c is not None else Counts(*([0] * len(self.words) for _ in range(3)))

    def one_vs_rest_correct(self, key: str) -> list[int]:
        """Words a one-vs-rest classifier of ``key`` gets right, per sentence."""
        c = self.get(key)
        return [w - f - n for w, f, n in zip(self.words, c.fp, c.fn, strict=True)]

    def outcomes(self, statistic: str, key: str | None = None) -> dict[str, list]:
        """The counts ``nnbench.Samples(statistic, ...)`` takes: of ``key``, or per-class rows
        over all keys (the macro average) when ``key`` is None. ``accuracy`` is one-vs-rest."""
        names = {"precision": ("tp", "fp"), "recall": ("tp", "fn"), "f1": ("tp", "fp", "fn"),
                 "accuracy": ("correct",)}[statistic]
        if key is None:
            out = {name: self.rows[name] for name in names}
        else:
            c = self.get(key)
            columns = {"tp": c.tp, "fp": c.fp, "fn": c.fn}
            out = {name: columns[name] if name in columns else self.one_vs_rest_correct(key)
                   for name in names}
        if statistic == "accuracy":
            out["total"] = self.words
        return out


@dataclass
class Report:
    """Scores and the per-sentence counts they come from."""

    scores: dict[str, Scores]
    counts: SentenceCounts


def token_counts(gold: Tags, pred: Tags, labels: Sequence[str]) -> SentenceCounts:
    """One-vs-rest tp, fp and fn of every label in every sentence, in one pass over the words."""
    index = {label: i for i, label in enumerate(labels)}
    n = len(gold)
    tp, fp, fn = ([[0] * n for _ in labels] for _ in range(3))
    words = [0] * n
    correct = [0] * n
    for s, (gs, ps) in enumerate(zip(gold, pred, strict=True)):
        words[s] = len(gs)
        for g, p in zip(gs, ps, strict=True):
            if g == p:
                correct[s] += 1
                if g in index:
                    tp[index[g]][s] += 1
                continue
            if p in index:
                fp[index[p]][s] += 1
            if g in index:
                fn[index[g]][s] += 1
    by_label = {label: Counts(tp[i], fp[i], fn[i]) for label, i in index.items()}
    return SentenceCounts(tuple(labels), by_label, words, correct)


def token_scores(gold: Tags, pred: Tags, labels: Sequence[str],
                 counts: SentenceCounts | None = None) -> dict[str, Scores]:
    """One-vs-rest precision, recall, f1 and accuracy of every label over all words."""
    counts = counts or token_counts(gold, pred, labels)
    total = sum(counts.words)
    scores = {}
    for label in labels:
        c = counts.by_key[label]
        tp, fp, fn = sum(c.tp), sum(c.fp), sum(c.fn)
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        scores[label] = Scores(
            precision=precision,
            recall=recall,
            f1=_ratio(2 * precision * recall, precision + recall),
            accuracy=_ratio(total - fp - fn, total),
            support=tp + fn,
        )
    return scores


def macro(scores: dict[str, Scores]) -> Scores:
    """The mean of each score over the labels."""
    values = list(scores.values())
    return Scores(
        precision=fmean(s.precision for s in values),
        recall=fmean(s.recall for s in values),
        f1=fmean(s.f1 for s in values),
        accuracy=fmean(s.accuracy or 0.0 for s in values),
        support=sum(s.support for s in values),
    )


def entity_counts(gold: Tags, pred: Tags, strict: bool = False) -> SentenceCounts:
    """Per sentence: entities found right (tp), found wrongly (fp) and missed (fn), per type
    and over all types ("micro"), as seqeval's mode finds them; words and correct words."""
    find = iob2_spans if strict else conlleval_spans
    true, found = find(gold), find(pred)
    hits = true & found
    n = len(gold)
    kinds = sorted({s[0] for s in true} | {s[0] for s in found})
    by_key = {k: Counts([0] * n, [0] * n, [0] * n) for k in ("micro", *kinds)}
    micro = by_key["micro"]
    for kind, sent, *_ in hits:
        by_key[kind].tp[sent] += 1
        micro.tp[sent] += 1
    for kind, sent, *_ in found - hits:
        by_key[kind].fp[sent] += 1
        micro.fp[sent] += 1
    for kind, sent, *_ in true - hits:
        by_key[kind].fn[sent] += 1
        micro.fn[sent] += 1
    words = [len(gs) for gs in gold]
    correct = [sum(g == p for g, p in zip(gs, ps, strict=True))
               for gs, ps in zip(gold, pred, strict=True)]
    return SentenceCounts(("micro", *kinds), by_key, words, correct)


def entity_scores(gold: Tags, pred: Tags, strict: bool = False,
                  counts: SentenceCounts | None = None) -> dict[str, Scores]:
    """seqeval entity scores: key "micro" (with word accuracy) and one per entity type.

    The default mode is conlleval-compatible; `strict` applies the IOB2 scheme, where an
    entity must start with B- and keep its type to count. Spans come from `entities`, which
    finds exactly seqeval's spans in one pass; the arithmetic is seqeval's, so the scores
    are equal to the last digit (tested).
    """
    counts = counts or entity_counts(gold, pred, strict)
    scores = {}
    for key in counts.keys:
        c = counts.by_key[key]
        tp, fp, fn = sum(c.tp), sum(c.fp), sum(c.fn)
        scores[key] = _entity_scores(tp, tp + fp, tp + fn)
    scores["micro"] = dataclasses.replace(
        scores["micro"], accuracy=_ratio(sum(counts.correct), sum(counts.words)))
    return scores


def _entity_scores(tp: int, predicted: int, actual: int) -> Scores:
    precision, recall = _ratio(tp, predicted), _ratio(tp, actual)
    return Scores(precision, recall, _ratio(2 * precision * recall, precision + recall),
                  support=actual)


def i_starts(pred: Tags) -> int:
    """Entities a prediction starts with I- (IOB1 style): I-X not following B-X or I-X."""
    count = 0
    for tags in pred:
        previous = "O"
        for tag in tags:
            if tag.startswith("I-") and previous[2:] != tag[2:]:
                count += 1
            previous = tag
    return count


#: Share of predicted entities opened with I- above which predictions look IOB1-style. An
#: IOB1-trained model opens nearly every entity with I-; an IOB2 model only by mistake.
IOB1_SHARE = 0.1


def iob1_warning(pred: Tags) -> str | None:
    """A warning when a notable share of predicted entities start with I-, else None."""
    starts = i_starts(pred)
    entities = len(conlleval_spans(pred))
    if not starts or starts < IOB1_SHARE * entities:
        return None
    return (
        f"{starts} of {entities} predicted entities start with I- (IOB1 style); strict IOB2 "
        "scores drop them, which explains a gap between seqeval_* and seqeval_strict_*"
    )
