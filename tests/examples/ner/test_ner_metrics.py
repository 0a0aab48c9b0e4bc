"""Metrics on fixed predictions equal seqeval's own functions and a hand-computed case."""

from __future__ import annotations

import pytest
from metrics import entity_scores, i_starts, iob1_warning, macro, token_scores
from seqeval.metrics import (
    accuracy_score,
    classification_report,
    f1_score,
    precision_score,
    recall_score,
)
from seqeval.scheme import IOB2

GOLD = [
    ["B-PER", "I-PER", "O", "B-LOC", "O"],
    ["B-ORG", "I-ORG", "I-ORG", "O", "B-MISC"],
    ["O", "B-PER", "O", "B-LOC", "I-LOC"],
]
PRED = [
    ["B-PER", "I-PER", "O", "B-ORG", "O"],  # PER right, LOC typed as ORG
    ["B-ORG", "I-ORG", "O", "O", "B-MISC"],  # ORG cut short, MISC right
    ["O", "I-PER", "O", "B-LOC", "I-LOC"],  # PER started with I- (IOB1 style), LOC right
]


def test_entity_scores_equal_seqeval_default_mode():
    scores = entity_scores(GOLD, PRED)
    assert scores["micro"].precision == pytest.approx(precision_score(GOLD, PRED))
    assert scores["micro"].recall == pytest.approx(recall_score(GOLD, PRED))
    assert scores["micro"].f1 == pytest.approx(f1_score(GOLD, PRED))
    assert scores["micro"].accuracy == pytest.approx(accuracy_score(GOLD, PRED))
    report = classification_report(GOLD, PRED, output_dict=True, zero_division=0)
    for kind in ("PER", "ORG", "LOC", "MISC"):
        assert scores[kind].f1 == pytest.approx(report[kind]["f1-score"])
        assert scores[kind].precision == pytest.approx(report[kind]["precision"])


def test_entity_scores_equal_seqeval_strict_mode():
    scores = entity_scores(GOLD, PRED, strict=True)
    strict = {"mode": "strict", "scheme": IOB2}
    assert scores["micro"].precision == pytest.approx(precision_score(GOLD, PRED, **strict))
    assert scores["micro"].recall == pytest.approx(recall_score(GOLD, PRED, **strict))
    assert scores["micro"].f1 == pytest.approx(f1_score(GOLD, PRED, **strict))


def test_entity_scores_by_hand():
    # gold entities: PER, LOC, ORG, MISC, PER, LOC = 6. Default mode predicts PER, ORG(wrong),
    # ORG(short), MISC, PER (from I-), LOC = 6, of which PER, MISC, PER, LOC are right: 4/6.
    default = entity_scores(GOLD, PRED)["micro"]
    assert (default.precision, default.recall) == pytest.approx((4 / 6, 4 / 6))
    # strict IOB2 drops the entity started by I-PER: 3 right of 5 predicted, 3 of 6 gold.
    strict = entity_scores(GOLD, PRED, strict=True)["micro"]
    assert (strict.precision, strict.recall) == pytest.approx((3 / 5, 3 / 6))
    assert strict.f1 == pytest.approx(2 * (3 / 5) * (3 / 6) / (3 / 5 + 3 / 6))
    assert default.accuracy == pytest.approx(12 / 15)


def test_token_scores_one_vs_rest_by_hand():
    scores = token_scores(GOLD, PRED, ["O", "B-PER", "I-PER", "B-LOC", "I-ORG"])
    # B-PER: gold at 2 words, predicted at 1 of them and nowhere else.
    assert scores["B-PER"].precision == 1.0
    assert scores["B-PER"].recall == 0.5
    assert scores["B-PER"].f1 == pytest.approx(2 / 3)
    assert scores["B-PER"].accuracy == pytest.approx(14 / 15)
    # I-PER: gold 1 word, predicted 2 (one right).
    assert (scores["I-PER"].precision, scores["I-PER"].recall) == (0.5, 1.0)
    # O: gold 5 words, predicted 6 (the 5 gold O, plus the cut I-ORG).
    assert (scores["O"].precision, scores["O"].recall) == (5 / 6, 1.0)
    mean = macro(scores)
    assert mean.precision == pytest.approx(sum(s.precision for s in scores.values()) / 5)
    assert mean.f1 == pytest.approx(sum(s.f1 for s in scores.values()) / 5)


def test_label_never_seen_scores_zero_not_an_error():
    scores = token_scores(GOLD, PRED, ["I-MISC"])
    assert scores["I-MISC"].precision == scores["I-MISC"].recall == scores["I-MISC"].f1 == 0.0


def test_i_starts_counts_entities_opened_with_i():
    assert i_starts(PRED) == 1
    assert i_starts([["I-PER", "I-PER", "B-LOC", "I-ORG"]]) == 2
    assert i_starts(GOLD) == 0


def _seqeval_report(gold, pred, strict):
    options = {"mode": "strict", "scheme": IOB2} if strict else {}
    return classification_report(gold, pred, output_dict=True, zero_division=0, **options)


@pytest.mark.parametrize("strict", [False, True])
def test_entity_scores_equal_seqeval_to_the_digit_on_random_tags(strict):
    """Random IOB tag soup (I- starts, type switches, empty sentences) vs seqeval itself."""
    import random

    rng = random.Random(1234)
    tags = ["O", "O", "O"] + [f"{p}-{t}" for p in "BI" for t in ("PER", "ORG", "LOC", "MISC")]
    for _ in range(60):
        gold = [[rng.choice(tags) for _ in range(rng.randint(0, 12))] for _ in range(rng.randint(1, 8))]
        pred = [[rng.choice(tags) for _ in g] for g in gold]
        ours = entity_scores(gold, pred, strict=strict)
        report = _seqeval_report(gold, pred, strict)
        for key, row in report.items():
            if key.endswith(" avg") and key != "micro avg":
                continue
            mine = ours["micro" if key == "micro avg" else key]
            assert (mine.precision, mine.recall, mine.f1, mine.support) == (
                row["precision"], row["recall"], row["f1-score"], row["support"]), key
        assert set(ours) - {"micro"} == {k for k in report if not k.endswith(" avg")}
        options = {"mode": "strict", "scheme": IOB2} if strict else {}
        assert ours["micro"].f1 == f1_score(gold, pred, **options)
        if any(gold):  # seqeval's accuracy divides by the word count
            assert ours["micro"].accuracy == accuracy_score(gold, pred)


def test_strict_mode_rejects_non_iob2_tags():
    with pytest.raises(ValueError, match="not IOB2"):
        entity_scores([["S-PER"]], [["S-PER"]], strict=True)


def test_default_mode_handles_iobes_like_seqeval():
    gold = [["S-PER", "B-LOC", "E-LOC", "O", "E-ORG", "I-ORG", "S-MISC"]]
    pred = [["S-PER", "B-LOC", "I-LOC", "E-LOC", "E-ORG", "E-ORG", "S-MISC"]]
    ours = entity_scores(gold, pred)
    report = _seqeval_report(gold, pred, False)
    assert (ours["micro"].precision, ours["micro"].recall) == (
        report["micro avg"]["precision"], report["micro avg"]["recall"])


def test_iob1_warning_only_when_predictions_look_iob1():
    iob1 = [["I-PER", "I-PER", "O", "I-LOC"], ["O", "I-ORG", "B-ORG", "O"]]
    message = iob1_warning(iob1)
    assert message and message.startswith("3 of 4 predicted entities start with I-")
    assert "seqeval_strict_" in message
    iob2 = [["B-PER", "I-PER", "O", "B-LOC"]] * 10 + [["O", "I-ORG"]]  # 1 stray of 21
    assert iob1_warning(iob2) is None
    assert iob1_warning(GOLD) is None
