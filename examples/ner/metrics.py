"""NER metrics on word-level tag sequences: one-vs-rest token scores and seqeval entity scores."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
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


def token_scores(gold: Tags, pred: Tags, labels: Sequence[str]) -> dict[str, Scores]:
    """One-vs-rest precision, recall, f1 and accuracy of every label over all words."""
    pairs = Counter(
        (g, p) for gs, ps in zip(gold, pred, strict=True) for g, p in zip(gs, ps, strict=True)
    )
    gold_count: Counter[str] = Counter()
    pred_count: Counter[str] = Counter()
    for (g, p), n in pairs.items():
        gold_count[g] += n
        pred_count[p] += n
    total = pairs.total()
    scores = {}
    for label in labels:
        tp = pairs[(label, label)]
        fp, fn = pred_count[label] - tp, gold_count[label] - tp
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


def entity_scores(gold: Tags, pred: Tags, strict: bool = False) -> dict[str, Scores]:
    """seqeval entity scores: key "micro" (with word accuracy) and one per entity type.

    The default mode is conlleval-compatible; `strict` applies the IOB2 scheme, where an
    entity must start with B- and keep its type to count. Spans come from `entities`, which
    finds exactly seqeval's spans in one pass; the arithmetic is seqeval's, so the scores
    are equal to the last digit (tested).
    """
    find = iob2_spans if strict else conlleval_spans
    true, found = find(gold), find(pred)
    hits = true & found
    scores = {"micro": _entity_scores(len(hits), len(found), len(true))}
    for kind in sorted({s[0] for s in true} | {s[0] for s in found}):
        scores[kind] = _entity_scores(
            sum(s[0] == kind for s in hits), sum(s[0] == kind for s in found),
            sum(s[0] == kind for s in true),
        )
    words = [(g, p) for gs, ps in zip(gold, pred, strict=True) for g, p in zip(gs, ps, strict=True)]
    correct = sum(g == p for g, p in words)
    scores["micro"] = dataclasses.replace(scores["micro"], accuracy=_ratio(correct, len(words)))
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
