"""Each failure is one line naming the repo and what to do, as the right nnbench error."""

from __future__ import annotations

import pytest
from nnbench.artifacts import resolve
from nnbench.errors import (
    ArtifactNotFoundError,
    AuthenticationError,
    NNBenchError,
    TransferError,
    UsageError,
)
from nnbench_hf.testing import GATED_REPO, NER_REPO


def load(spec, **kwargs):
    return resolve(spec, **kwargs).load()


def one_line(exc: NNBenchError, *words: str) -> str:
    text = str(exc)
    assert "\n" not in text
    for word in words:
        assert word in text, text
    assert exc.exit_code == 2
    return text


def test_repository_not_found(fake_hub):
    with pytest.raises(ArtifactNotFoundError) as info:
        load("hf:nobody/missing-model")
    one_line(info.value, "nobody/missing-model", "not found", "HF_TOKEN")


def test_dataset_named_as_model_is_not_found(fake_hub):
    with pytest.raises(ArtifactNotFoundError, match="hf:datasets/ORG/NAME"):
        load("hf:ZihanWangKi/conllpp")


def test_revision_not_found(fake_hub):
    with pytest.raises(ArtifactNotFoundError) as info:
        load(f"hf:{NER_REPO}@no-such-branch")
    one_line(info.value, NER_REPO, "no-such-branch", "revision")


def test_commit_not_found(fake_hub):
    with pytest.raises(ArtifactNotFoundError, match="revision"):
        load(f"hf:{NER_REPO}@{'f' * 40}")


def test_file_not_found(fake_hub):
    with pytest.raises(ArtifactNotFoundError) as info:
        load(f"hf:{NER_REPO}/no/such/file.bin")
    one_line(info.value, NER_REPO, "no/such/file.bin")


def test_gated_repo_without_token(fake_hub):
    with pytest.raises(AuthenticationError) as info:
        load(f"hf:{GATED_REPO}")
    one_line(info.value, GATED_REPO, "gated", "set HF_TOKEN or run `hf auth login`")


def test_gated_repo_with_token_from_env(fake_hub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", fake_hub.token)
    path = load(f"hf:{GATED_REPO}")
    assert (path / "model.safetensors").is_file()
    assert all(r.authorized for r in fake_hub.requests)


def test_gated_repo_with_token_file_under_hf_home(fake_hub):
    (fake_hub.hf_home / "token").write_text(fake_hub.token)
    assert (load(f"hf:{GATED_REPO}") / "config.json").is_file()


def test_gated_repo_with_token_not_granted_is_403(fake_hub, fake_hub_files, monkeypatch):
    other = "hf_otherValidToken000000000000000"
    fake_hub.valid_tokens.add(other)
    fake_hub.add_repo("org/strict", {"": fake_hub_files["model"]}, gated=True, granted={fake_hub.token})
    monkeypatch.setenv("HF_TOKEN", other)
    with pytest.raises(AuthenticationError) as info:
        load("hf:org/strict")
    one_line(info.value, "org/strict", "hf auth login")


def test_invalid_token_is_an_authentication_error(fake_hub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_notAValidToken1234567890abcd")
    with pytest.raises(AuthenticationError) as info:
        load(f"hf:{NER_REPO}")
    text = one_line(info.value, NER_REPO, "401", "HF_TOKEN")
    assert "hf_notAValidToken" not in text


def test_private_repo_needs_a_token(fake_hub, fake_hub_files, monkeypatch):
    fake_hub.add_repo("org/private", {"": fake_hub_files["model"]}, private=True)
    with pytest.raises(ArtifactNotFoundError, match="private"):
        load("hf:org/private")
    monkeypatch.setenv("HF_TOKEN", fake_hub.token)
    assert (load("hf:org/private") / "config.json").is_file()


def test_connection_refused(fake_hub, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(TransferError) as info:
        load(f"hf:{NER_REPO}")
    one_line(info.value, NER_REPO, "cannot reach", "127.0.0.1:9")


def test_bad_option_is_a_usage_error(fake_hub):
    with pytest.raises(UsageError, match="unknown hf: option"):
        resolve(f"hf:{NER_REPO}?colour=red")
    assert fake_hub.requests == []
