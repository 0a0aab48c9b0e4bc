"""The dataset and model artifacts: formats, splits, label checks, laziness, pickling."""

from __future__ import annotations

import json
import pickle

import pytest
from artifacts import CoNLLDataset, TokenClassificationModel
from conll import LABELS, check_labels, write_conll

SENTENCES = [(["EU", "rejects", "German", "call"], ["B-ORG", "O", "B-MISC", "O"]), (["Peter", "Blackburn"], ["B-PER", "I-PER"])]


def _parquet(path, tags, names=None):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"tokens": [w for w, _ in SENTENCES], "ner_tags": tags})
    if names is not None:
        features = {"ner_tags": {"feature": {"names": list(names), "_type": "ClassLabel"}}}
        table = table.replace_schema_metadata({"huggingface": json.dumps({"info": {"features": features}})})
    pq.write_table(table, path)


def test_conll_file_and_split_directory(tmp_path):
    for split in ("train", "test"):
        write_conll(tmp_path / f"{split}.txt", [SENTENCES])
    data = CoNLLDataset(tmp_path / "test.txt").value
    assert data.words[1] == ["Peter", "Blackburn"] and data.tags[0][0] == "B-ORG"
    assert CoNLLDataset(tmp_path, split="train").value.tags == data.tags
    assert CoNLLDataset(f"file:{tmp_path}?split=train").split == "train"


def test_missing_split_names_what_was_found(tmp_path):
    write_conll(tmp_path / "train.txt", [SENTENCES])
    with pytest.raises(FileNotFoundError, match="'test'.*none"):
        CoNLLDataset(tmp_path).value  # noqa: B018


def test_parquet_integer_tags_are_named_by_classlabel_metadata(tmp_path):
    names = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
    (tmp_path / "conllpp" / "test").mkdir(parents=True)
    _parquet(tmp_path / "conllpp" / "test" / "0000.parquet", [[3, 0, 7, 0], [1, 2]], names)
    data = CoNLLDataset(tmp_path, split="test").value
    assert data.tags == [t for _, t in SENTENCES]
    assert data.label_names == names


def test_datasets_directory(tmp_path):
    import datasets

    features = datasets.Features(
        {"tokens": datasets.Sequence(datasets.Value("string")), "ner_tags": datasets.Sequence(datasets.ClassLabel(names=list(LABELS)))}
    )
    ds = datasets.Dataset.from_dict({"tokens": [w for w, _ in SENTENCES], "ner_tags": [[3, 0, 7, 0], [1, 2]]}, features=features)
    datasets.DatasetDict({"validation": ds}).save_to_disk(str(tmp_path / "conll"))
    data = CoNLLDataset(tmp_path / "conll", split="validation").value
    assert data.tags == [t for _, t in SENTENCES] and data.label_names == LABELS


def test_label_mismatch_names_the_differences():
    model_labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    with pytest.raises(ValueError, match="only in the data: B-MISC") as info:
        check_labels([t for _, t in SENTENCES], model_labels)
    assert "only in the model" not in str(info.value)
    with pytest.raises(ValueError, match="only in the data: B-LOC, I-LOC.*only in the model: B-FAC"):
        check_labels([], [*model_labels, "B-FAC"], declared=["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"])
    check_labels([["O", "B-PER"]], LABELS)  # a subset seen in a file is fine


def test_artifacts_are_lazy_and_pickle_as_spec(example_dir):
    model = TokenClassificationModel(example_dir / "model")
    data = CoNLLDataset(f"file:{example_dir / 'data'}?split=validation")
    assert not model.is_deserialized() and not data.is_deserialized()
    clone = pickle.loads(pickle.dumps(data))
    assert clone.split == "validation" and not clone.is_deserialized()
    assert len(clone.value.words) == len(data.value.words) > 0
    assert model.weights_size() == (example_dir / "model" / "model.safetensors").stat().st_size
