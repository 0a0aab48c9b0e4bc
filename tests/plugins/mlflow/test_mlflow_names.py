"""Metric names: legal for MLflow, documented, reversible (NER family names included)."""

from __future__ import annotations

import random

import pytest
from nnbench_mlflow.names import (
    MAX_KEY,
    decode_name,
    encode_name,
    metric_key,
    parse_metric_key,
)

NER_NAMES = [
    "f1_per_class_class_label=B-PER", "precision_per_class_class_label=I-MISC",
    "seqeval_f1_per_type_entity_type=LOC", "accuracy_per_class_class_label=O", "seqeval_f1",
]
ODD_NAMES = [
    "a.x", ".hidden", "..", ".", "x.time", "x.memory", "lr=0.1", "ü/é", "a b", "a//b", "../up",
    "tab\there", "quote'\"", "a.x2e", "emoji 🚀", "trailing.", "x.time.time", "a:b",
]


@pytest.mark.parametrize("name", NER_NAMES + ODD_NAMES)
def test_round_trip_for_every_kind(name: str) -> None:
    for kind in ("value", "time", "memory"):
        key = metric_key(name, kind)
        assert parse_metric_key(key) == (name, kind)
        assert len(key) <= MAX_KEY


def test_the_documented_form() -> None:
    assert encode_name("f1_per_class_class_label=B-PER") == "f1_per_class_class_label.x3dB-PER"
    assert metric_key("f1_per_class_class_label=B-PER", "time") == \
        "f1_per_class_class_label.x3dB-PER.time"
    assert encode_name("seqeval_f1") == "seqeval_f1"  # plain names stay as they are
    assert encode_name("x.time") == "x.x2etime"  # never read as the timing of "x"
    assert encode_name("é") == ".xc3.xa9"


def test_random_names_round_trip() -> None:
    rng = random.Random(14)
    alphabet = "ab.x_-=/ :é2e" + "\u00e9\u4e2d"
    for _ in range(3000):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        key = metric_key(name, rng.choice(["value", "time", "memory"]))
        assert parse_metric_key(key)[0] == name


def test_long_names_are_cut_with_a_digest() -> None:
    long_a, long_b = "m_" + "=" * 200 + "a", "m_" + "=" * 200 + "b"
    keys = {metric_key(n, k) for n in (long_a, long_b) for k in ("value", "time", "memory")}
    assert len(keys) == 6 and all(len(k) <= MAX_KEY for k in keys)
    with pytest.raises(ValueError, match="record.json"):
        decode_name(encode_name(long_a))


def test_empty_name_is_refused() -> None:
    with pytest.raises(ValueError):
        encode_name("")


def test_mlflow_accepts_every_key(mlflow_tracking_uri: str) -> None:
    """A real store takes the keys (its own validation) and gives them back unchanged."""
    from mlflow import MlflowClient
    from mlflow.entities import Metric

    names = NER_NAMES + ODD_NAMES + ["m_" + "=" * 200]
    keys = [metric_key(n, k) for n in names for k in ("value", "time", "memory")]
    client = MlflowClient(mlflow_tracking_uri)
    experiment = client.create_experiment("names",
                                          artifact_location=mlflow_tracking_uri[10:] + ".a")
    run = client.create_run(experiment).info.run_id
    client.log_batch(run, metrics=[Metric(k, 1.0, 0, 0) for k in keys], synchronous=True)
    assert sorted(client.get_run(run).data.metrics) == sorted(keys)
