"""The S3 and HTTP servers come from nnbench-fsspec's pytest plugin (``nnbench_fsspec.testing``:
``fsspec_s3_server``, ``fsspec_s3``, ``fsspec_http_server``, ``fsspec_http_root``); here: a tiny
BERT model and an isolated cache for every test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def nnbench_cache(tmp_path, monkeypatch):
    cache = tmp_path / "nnbench-cache"
    monkeypatch.setenv("NNBENCH_CACHE", str(cache))
    return cache


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory) -> Path:
    """A tiny BERT (2 layers, hidden 32) saved with safetensors, with its tokenizer."""
    pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    out = tmp_path_factory.mktemp("tiny-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(95)]
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n")
    config = transformers.BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=37, max_position_embeddings=64,
    )
    transformers.BertModel(config).save_pretrained(out)
    transformers.BertTokenizer(vocab=str(out / "vocab.txt")).save_pretrained(out)
    assert (out / "model.safetensors").is_file()
    return out
