"""Fixtures: a moto S3 server, an HTTP server, a tiny BERT model and an isolated cache."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fsspec_servers import KEY_ID, SECRET, HTTPServer, S3Server  # noqa: E402


@pytest.fixture(scope="session")
def s3_server():
    pytest.importorskip("s3fs")
    pytest.importorskip("moto.server")
    saved = {k: os.environ.get(k) for k in _AWS_ENV}
    server = S3Server()
    os.environ.update(
        AWS_ACCESS_KEY_ID=KEY_ID,
        AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=server.endpoint,
    )
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(k, None)
    yield server
    server.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


_AWS_ENV = (
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",
    "AWS_PROFILE", "AWS_SESSION_TOKEN",
)


@pytest.fixture
def s3(s3_server):
    """An s3fs filesystem on the moto server plus a fresh bucket name."""
    import s3fs

    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    bucket = f"b-{uuid.uuid4().hex[:12]}"
    fs.mkdir(bucket)
    return fs, bucket


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


@pytest.fixture
def http_root(tmp_path) -> Path:
    root = tmp_path / "www"
    root.mkdir()
    return root


@pytest.fixture
def http_server(http_root):
    server = HTTPServer(http_root)
    yield server
    try:
        server.stop()
    except OSError:
        pass
