"""Default file selection: safetensors + config/tokenizer only; pickles refused; datasets by split."""

from __future__ import annotations

import pytest
from nnbench_hf.selection import SelectionError, in_split, select, split_of

DSLIM = [
    ".gitattributes", "README.md", "config.json", "model.safetensors", "pytorch_model.bin",
    "tf_model.h5", "flax_model.msgpack", "rust_model.ot", "onnx/model.onnx", "onnx/config.json",
    "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt",
]
NEEDED = ["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json",
          "tokenizer_config.json", "vocab.txt"]


def test_dslim_like_repo_gets_safetensors_config_tokenizer_only():
    assert select(DSLIM) == NEEDED


def test_sharded_index_and_its_shards_only():
    files = ["config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors",
             "model-00002-of-00002.safetensors", "consolidated.safetensors",
             "pytorch_model.bin.index.json", "pytorch_model-00001-of-00002.bin",
             "pytorch_model-00002-of-00002.bin", "tokenizer.json"]
    assert select(files) == ["config.json", "model-00001-of-00002.safetensors",
                             "model-00002-of-00002.safetensors", "model.safetensors.index.json",
                             "tokenizer.json"]


def test_processor_and_sentencepiece_files_kept():
    files = ["config.json", "model.safetensors", "preprocessor_config.json", "spiece.model",
             "chat_template.jinja", "generation_config.json", "merges.txt", "vocab.json"]
    assert select(files) == sorted(files)


def test_pickle_only_repo_refused_then_allowed():
    files = ["config.json", "pytorch_model.bin", "training_args.bin", "vocab.txt"]
    with pytest.raises(SelectionError, match="allow_pickle=true"):
        select(files)
    assert select(files, allow_pickle=True) == ["config.json", "pytorch_model.bin", "vocab.txt"]


def test_include_replaces_default_and_still_guards_pickles():
    assert select(DSLIM, include=["*.json"]) == [
        "config.json", "onnx/config.json", "special_tokens_map.json", "tokenizer.json",
        "tokenizer_config.json"]
    with pytest.raises(SelectionError, match="pytorch_model.bin"):
        select(DSLIM, include=["*"])
    everything = select(DSLIM, include=["*"], allow_pickle=True)
    assert "pytorch_model.bin" in everything and "onnx/model.onnx" in everything


def test_exclude_removes():
    assert "vocab.txt" not in select(DSLIM, exclude=["vocab.txt"])


def test_path_selects_a_file_or_a_folder():
    assert select(DSLIM, path="onnx/model.onnx") == ["onnx/model.onnx"]
    assert select(DSLIM, path="onnx", include=["*.onnx"]) == ["onnx/model.onnx"]
    with pytest.raises(SelectionError, match="no file or folder"):
        select(DSLIM, path="nope")


def test_no_weights_keeps_other_formats():
    assert select(["config.json", "model.onnx", "README.md"]) == ["config.json", "model.onnx"]


PARQUET = ["README.md", "conllpp/train/0000.parquet", "conllpp/validation/0000.parquet",
           "conllpp/test/0000.parquet", "other/test/0000.parquet"]


def test_dataset_files_by_split_and_config():
    assert select(PARQUET, repo_type="dataset") == sorted(PARQUET[1:])
    assert select(PARQUET, repo_type="dataset", split="test") == [
        "conllpp/test/0000.parquet", "other/test/0000.parquet"]
    assert select(PARQUET, repo_type="dataset", split="test", config="conllpp") == [
        "conllpp/test/0000.parquet"]
    with pytest.raises(SelectionError):
        select(PARQUET, repo_type="dataset", split="nope")


@pytest.mark.parametrize(
    ("path", "split"),
    [
        ("conllpp/train/0000.parquet", "train"),
        ("data/train-00000-of-00002.parquet", "train"),
        ("test.csv", "test"),
        ("cfg/dataset-validation.parquet", "validation"),
        ("cfg/train_sft/0000.parquet", "train_sft"),
        ("data.jsonl", None),
    ],
)
def test_split_naming_conventions(path, split):
    assert split_of(path) == split
    if split:
        assert in_split(path, split)
