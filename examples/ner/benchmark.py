"""Benchmarks of a saved NER token classifier on a CoNLL-family dataset.

`nnbench run examples/ner` runs them on the bundled tiny model and data; `--loader SPEC`
swaps the model, `--loader data=SPEC` the dataset. One memoised evaluation pass per
(model, dataset) feeds every metric. Quality metrics return their value with per-sentence
outcomes (`nnbench.Samples`), so `nnbench compare` tests two models on the same sentences.
"""

from __future__ import annotations

import json
import warnings
from functools import partial
from pathlib import Path

import inference
import memory
import metrics
import nnbench
from artifacts import CoNLLDataset, TokenClassificationModel
from conll import ENTITY_TYPES, LABELS, check_labels

HERE = Path(__file__).resolve().parent
BUNDLED_MODEL = TokenClassificationModel(HERE / "model")
BUNDLED_DATA = CoNLLDataset(HERE / "data" / "test.txt")
BATCH_SIZE = 32
MB = 1024 * 1024


@nnbench.memo
def evaluation(model: TokenClassificationModel, data: CoNLLDataset) -> inference.Evaluation:
    """The one inference pass over the dataset; checks labels and reports truncation."""
    net, tokenizer = model.value
    dataset = data.value
    check_labels(dataset.tags, net.config.id2label.values(), dataset.label_names)
    result = inference.evaluate(net, tokenizer, dataset.words, batch_size=BATCH_SIZE)
    if result.truncated:
        warnings.warn(
            f"{len(result.truncated)} sentence(s) exceed the model's input length; their "
            "remaining words are predicted 'O'",
            stacklevel=2,
        )
    return result


@nnbench.memo
def token_report(model: TokenClassificationModel, data: CoNLLDataset) -> metrics.Report:
    """One-vs-rest token scores of every label, with their per-sentence counts."""
    gold, predictions = data.value.tags, evaluation(model, data).predictions
    counts = metrics.token_counts(gold, predictions, LABELS)
    return metrics.Report(metrics.token_scores(gold, predictions, LABELS, counts), counts)


@nnbench.memo
def entity_report(model: TokenClassificationModel, data: CoNLLDataset, strict: bool) -> metrics.Report:
    """seqeval scores with their per-sentence counts; warns when the predictions look
    IOB1-style (entities opened with I-)."""
    gold, predictions = data.value.tags, evaluation(model, data).predictions
    message = None if strict else metrics.iob1_warning(predictions)
    if message:
        warnings.warn(message, stacklevel=2)
    counts = metrics.entity_counts(gold, predictions, strict=strict)
    return metrics.Report(metrics.entity_scores(gold, predictions, strict, counts), counts)


def outcomes(report: metrics.Report, statistic: str, value: float, key: str | None = None) -> nnbench.Samples:
    """``value`` with the per-sentence counts it is computed from, for paired tests in
    ``nnbench compare`` (sample ids: sentence positions in the dataset). ``key``: one label or
    entity type; None: every label (the macro average)."""
    return nnbench.Samples(statistic, range(len(report.counts.words)), value=value,
                           **report.counts.outcomes(statistic, key))


# Token-level metrics, as the guide computes them: mean of one-vs-rest scores over the labels.
@nnbench.benchmark(tags=("metric", "aggregate"))
def precision(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = token_report(model, data)
    return outcomes(report, "precision", metrics.macro(report.scores).precision)


@nnbench.benchmark(tags=("metric", "aggregate"))
def recall(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = token_report(model, data)
    return outcomes(report, "recall", metrics.macro(report.scores).recall)


@nnbench.benchmark(tags=("metric", "aggregate"))
def f1(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = token_report(model, data)
    return outcomes(report, "f1", metrics.macro(report.scores).f1)


@nnbench.benchmark(tags=("metric", "aggregate"))
def accuracy(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = token_report(model, data)
    return outcomes(report, "accuracy", metrics.macro(report.scores).accuracy)


per_class = partial(nnbench.parametrize, [{"class_label": label} for label in LABELS], tags=("metric", "per-class"))()


@per_class
def precision_per_class(class_label: str, model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = token_report(model, data)
    return outcomes(report, "precision", report.scores[class_label].precision, class_label)


@per_class
def recall_per_class(class_label: str, model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = token_report(model, data)
    return outcomes(report, "recall", report.scores[class_label].recall, class_label)


@per_class
def f1_per_class(class_label: str, model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = token_report(model, data)
    return outcomes(report, "f1", report.scores[class_label].f1, class_label)


@per_class
def accuracy_per_class(class_label: str, model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = token_report(model, data)
    return outcomes(report, "accuracy", report.scores[class_label].accuracy, class_label)


# Entity-level metrics (seqeval): micro over entities, default (conlleval) and strict IOB2 mode.
@nnbench.benchmark(tags=("metric", "seqeval"))
def seqeval_precision(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, False)
    return outcomes(report, "precision", report.scores["micro"].precision, "micro")


@nnbench.benchmark(tags=("metric", "seqeval"))
def seqeval_recall(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, False)
    return outcomes(report, "recall", report.scores["micro"].recall, "micro")


@nnbench.benchmark(tags=("metric", "seqeval"))
def seqeval_f1(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, False)
    return outcomes(report, "f1", report.scores["micro"].f1, "micro")


@nnbench.benchmark(tags=("metric", "seqeval"))
def seqeval_accuracy(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    """Word-level accuracy (the same in both modes)."""
    report = entity_report(model, data, False)
    counts = report.counts
    return nnbench.Samples("accuracy", range(len(counts.words)), value=report.scores["micro"].accuracy,
                           correct=counts.correct, total=counts.words)


@nnbench.benchmark(tags=("metric", "seqeval", "strict"))
def seqeval_strict_precision(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, True)
    return outcomes(report, "precision", report.scores["micro"].precision, "micro")


@nnbench.benchmark(tags=("metric", "seqeval", "strict"))
def seqeval_strict_recall(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, True)
    return outcomes(report, "recall", report.scores["micro"].recall, "micro")


@nnbench.benchmark(tags=("metric", "seqeval", "strict"))
def seqeval_strict_f1(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, True)
    return outcomes(report, "f1", report.scores["micro"].f1, "micro")


@nnbench.benchmark(tags=("metric", "seqeval"))
def predicted_i_starts(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> int:
    """Predicted entities that start with I- (non-zero for IOB1-trained models)."""
    return metrics.i_starts(evaluation(model, data).predictions)


per_type = partial(nnbench.parametrize, [{"entity_type": t} for t in ENTITY_TYPES], tags=("metric", "seqeval", "per-type"))()
NO_ENTITIES = metrics.Scores(0.0, 0.0, 0.0)


@per_type
def seqeval_precision_per_type(entity_type: str, model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, False)
    return outcomes(report, "precision", report.scores.get(entity_type, NO_ENTITIES).precision, entity_type)


@per_type
def seqeval_recall_per_type(entity_type: str, model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, False)
    return outcomes(report, "recall", report.scores.get(entity_type, NO_ENTITIES).recall, entity_type)


@per_type
def seqeval_f1_per_type(entity_type: str, model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> nnbench.Samples:
    report = entity_report(model, data, False)
    return outcomes(report, "f1", report.scores.get(entity_type, NO_ENTITIES).f1, entity_type)


# Model and data facts.
@nnbench.benchmark(tags=("model-meta", "size"))
def parameter_count(model: TokenClassificationModel = BUNDLED_MODEL) -> int:
    return sum(p.numel() for p in model.value[0].parameters())


@nnbench.benchmark(tags=("model-meta", "size"), unit="MiB")
def weights_size_mb(model: TokenClassificationModel = BUNDLED_MODEL) -> float:
    """Size on disk of the loaded safetensors weights."""
    return model.weights_size() / MB


@nnbench.benchmark(tags=("model-meta", "memory"), unit="MiB")
def memory_footprint_mb(model: TokenClassificationModel = BUNDLED_MODEL) -> float:
    """Memory held by the loaded model's parameters and buffers."""
    return memory.model_footprint(model.value[0]) / MB


@nnbench.benchmark(tags=("model-meta", "memory"), unit="MiB")
def peak_rss_mb(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> float:
    """Peak resident set size of the process during the evaluation pass."""
    return evaluation(model, data).peak_rss / MB


@nnbench.benchmark(tags=("model-meta", "config"))
def model_config(model: TokenClassificationModel = BUNDLED_MODEL) -> dict:
    return json.loads(model.value[0].config.to_json_string())


@nnbench.benchmark(tags=("data", "truncation"))
def truncated_sentences(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> int:
    """Sentences longer than the model's input; their cut words count as predicted 'O'."""
    return len(evaluation(model, data).truncated)


# Speed of the evaluation pass (warm-up excluded).
@nnbench.benchmark(tags=("speed", "latency"), unit="ms")
def latency_median_ms(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> float:
    """Median per-sentence latency: each batch's time shared among its sentences."""
    return evaluation(model, data).latency_median_s * 1000


@nnbench.benchmark(tags=("speed", "latency"), unit="ms")
def latency_p90_ms(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> float:
    return evaluation(model, data).latency_p90_s * 1000


@nnbench.benchmark(tags=("speed", "throughput"), unit="sentences/s")
def throughput_sentences_per_s(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> float:
    result = evaluation(model, data)
    return len(result.predictions) / result.seconds


@nnbench.benchmark(tags=("speed", "throughput"), unit="words/s")
def throughput_words_per_s(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> float:
    result = evaluation(model, data)
    return result.words / result.seconds


@nnbench.benchmark(tags=("speed",))
def threads(model: TokenClassificationModel = BUNDLED_MODEL, data: CoNLLDataset = BUNDLED_DATA) -> int:
    """torch intra-op threads used by the evaluation pass."""
    return evaluation(model, data).threads
