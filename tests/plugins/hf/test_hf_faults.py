"""A connection cut in the middle of model.safetensors: resumed, or failed cleanly and finished next run."""

from __future__ import annotations

import hashlib

import pytest
from nnbench.artifacts import resolve
from nnbench.errors import TransferError
from nnbench_hf.testing import NER_REPO


def repo_dir(fake_hub):
    return fake_hub.cache_dir / "models--dslim--bert-base-NER"


def test_single_cut_is_retried_within_the_run(fake_hub):
    weights = fake_hub.file(NER_REPO, "model.safetensors")
    fake_hub.cut_connection("model.safetensors", times=1)
    path = resolve(f"hf:{NER_REPO}").load()
    assert hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest() == weights.sha256
    gets = [r for r in fake_hub.requests if r.method == "GET" and r.file == "model.safetensors"]
    # huggingface_hub reads in 10 MiB chunks: below that a retry starts again from byte 0
    assert len(gets) == 2
    assert fake_hub.bytes_served("model.safetensors") == weights.size // 2 + weights.size


def test_cut_in_a_large_file_resumes_with_a_range_request(fake_hub):
    mib = 1024 * 1024
    data = bytes(range(256)) * (24 * mib // 256)
    fake_hub.add_repo("org/big", {"config.json": b"{}", "model.safetensors": data})
    fake_hub.cut_connection("model.safetensors", at=15 * mib, times=1)
    path = resolve("hf:org/big").load()
    assert (path / "model.safetensors").read_bytes() == data
    gets = [r for r in fake_hub.requests if r.method == "GET" and r.file == "model.safetensors"]
    assert [g.range for g in gets] == [None, f"bytes={10 * mib}-"]
    assert fake_hub.bytes_served("model.safetensors") == 15 * mib + 14 * mib


@pytest.mark.slow
def test_dropped_download_leaves_nothing_complete_and_next_run_finishes(fake_hub):
    weights = fake_hub.file(NER_REPO, "model.safetensors")
    fake_hub.cut_connection("model.safetensors", times=100)  # every retry dies too
    with pytest.raises(TransferError) as info:
        resolve(f"hf:{NER_REPO}").load()
    assert NER_REPO in str(info.value) and "run again" in str(info.value)
    root = repo_dir(fake_hub)
    blob = root / "blobs" / weights.sha256
    assert not blob.exists()
    assert not list(root.glob("snapshots/*/model.safetensors"))
    assert not list(root.rglob("*.incomplete"))  # the client removes its partial temp file
    assert fake_hub.bytes_served("model.safetensors") >= weights.size // 2

    fake_hub.clear_faults()
    fake_hub.clear_log()
    path = resolve(f"hf:{NER_REPO}").load()
    assert hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest() == weights.sha256
    # files completed in the failed run are not fetched again
    assert fake_hub.downloaded_files() == ["model.safetensors"]
