"""Fetching through the fake Hub: only needed bytes, warm reruns, commit/offline reruns, options."""

from __future__ import annotations

import hashlib
import pickle

import pytest
from nnbench.artifacts import resolve
from nnbench.errors import ArtifactNotFoundError
from nnbench_hf.testing import NER_REPO, PICKLE_REPO, SHARDED_REPO

NEEDED = ["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json",
          "tokenizer_config.json", "vocab.txt"]


def fetch(spec, **kwargs):
    loader = resolve(spec, **kwargs)
    return loader, loader.load()


def test_first_fetch_moves_only_needed_bytes(fake_hub):
    loader, path = fetch(f"hf:{NER_REPO}")
    assert sorted(p.name for p in path.iterdir()) == NEEDED
    assert sorted(fake_hub.downloaded_files()) == NEEDED
    needed_bytes = sum(fake_hub.file(NER_REPO, f).size for f in NEEDED)
    assert fake_hub.bytes_served() == needed_bytes
    for decoy in ("pytorch_model.bin", "tf_model.h5", "flax_model.msgpack", "onnx/model.onnx", "rust_model.ot"):
        assert fake_hub.bytes_served(decoy) == 0
    assert path.parent.parent == fake_hub.cache_dir / "models--dslim--bert-base-NER"
    assert (path / "model.safetensors").read_bytes() == fake_hub.file(NER_REPO, "model.safetensors").data


def test_warm_rerun_downloads_nothing_and_makes_one_lookup(fake_hub):
    _, first = fetch(f"hf:{NER_REPO}")
    fake_hub.clear_log()
    _, again = fetch(f"hf:{NER_REPO}@main")
    assert again == first
    assert [r.kind for r in fake_hub.requests] == ["info"]
    assert fake_hub.bytes_served() == 0


def test_commit_hash_rerun_makes_no_request(fake_hub):
    fetch(f"hf:{NER_REPO}")
    commit = fake_hub.commit(NER_REPO)
    fake_hub.clear_log()
    loader, path = fetch(f"hf:{NER_REPO}@{commit}")
    assert fake_hub.requests == []
    assert path.name == commit
    assert loader.provenance()["resolved_revision"] == commit


def test_commit_hash_cold_fetch(fake_hub):
    commit = fake_hub.commit(NER_REPO)
    _, path = fetch(f"hf:{NER_REPO}@{commit}")
    assert sorted(p.name for p in path.iterdir()) == NEEDED
    assert not (fake_hub.cache_dir / "models--dslim--bert-base-NER" / "refs" / commit).exists()


@pytest.mark.parametrize(("variable", "value"), [("HF_HUB_OFFLINE", "1"), ("NNBENCH_OFFLINE", "Yes")])
def test_offline_rerun_makes_no_request(fake_hub, monkeypatch, variable, value):
    _, first = fetch(f"hf:{NER_REPO}")
    fake_hub.clear_log()
    monkeypatch.setenv(variable, value)
    loader, again = fetch(f"hf:{NER_REPO}")
    assert again == first
    assert fake_hub.requests == []
    assert loader.provenance()["files"]


def test_nnbench_offline_with_nothing_cached_names_it(fake_hub, monkeypatch):
    monkeypatch.setenv("NNBENCH_OFFLINE", "1")
    with pytest.raises(ArtifactNotFoundError, match="NNBENCH_OFFLINE is set"):
        fetch(f"hf:{NER_REPO}")
    assert fake_hub.requests == []


def test_offline_with_nothing_cached_is_a_clear_error(fake_hub, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ArtifactNotFoundError) as info:
        fetch(f"hf:{NER_REPO}")
    message = str(info.value)
    assert "HF_HUB_OFFLINE" in message and NER_REPO in message and "\n" not in message
    assert fake_hub.requests == []


def test_offline_with_other_files_cached_is_an_error(fake_hub, monkeypatch):
    fetch(f"hf:{NER_REPO}/config.json")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ArtifactNotFoundError, match="not in the cache"):
        fetch(f"hf:{NER_REPO}")


def test_new_commit_on_branch_downloads_only_changed_files(fake_hub, fake_hub_files):
    fetch(f"hf:{NER_REPO}")
    model = fake_hub_files["model"]
    config = (model / "config.json").read_bytes().replace(b'"hidden_act"', b'"_changed": 1, "hidden_act"')
    fake_hub.add_repo(NER_REPO, {"": model, "config.json": config})
    fake_hub.clear_log()
    loader, path = fetch(f"hf:{NER_REPO}")
    assert fake_hub.downloaded_files() == ["config.json"]
    assert (path / "config.json").read_bytes() == config
    assert loader.provenance()["resolved_revision"] == fake_hub.commit(NER_REPO)


def test_provenance(fake_hub):
    loader, path = fetch(f"hf:{NER_REPO}")
    prov = loader.provenance()
    assert prov["repo_id"] == NER_REPO and prov["repo_type"] == "model"
    assert prov["revision"] == "main"
    assert prov["resolved_revision"] == fake_hub.commit(NER_REPO)
    assert prov["path"] == str(path)
    assert prov["spec"] == f"hf:{NER_REPO}"
    by_path = {f["path"]: f for f in prov["files"]}
    assert sorted(by_path) == NEEDED
    weights = fake_hub.file(NER_REPO, "model.safetensors")
    assert by_path["model.safetensors"] == {"path": "model.safetensors", "size": weights.size,
                                            "etag": hashlib.sha256(weights.data).hexdigest()}
    assert by_path["config.json"]["etag"] == fake_hub.file(NER_REPO, "config.json").oid
    assert prov["total_size"] == sum(f["size"] for f in prov["files"])


def test_revision_refs_pr_plain_and_encoded(fake_hub, fake_hub_files):
    pr = fake_hub.add_repo(NER_REPO, {"": fake_hub_files["model"], "extra.txt": b"pr"}, revision="refs/pr/1")
    for spec in (f"hf:{NER_REPO}@refs/pr/1", f"hf:{NER_REPO}@refs%2Fpr%2F1", f"hf://{NER_REPO}@refs/pr/1"):
        loader, path = fetch(spec)
        assert path.name == pr
        assert (path / "extra.txt").read_bytes() == b"pr"
    ref = fake_hub.cache_dir / "models--dslim--bert-base-NER" / "refs" / "refs" / "pr" / "1"
    assert ref.read_text() == pr


def test_path_to_one_file(fake_hub):
    _, path = fetch(f"hf:{NER_REPO}/config.json")
    assert path.is_file() and path.name == "config.json"
    assert fake_hub.downloaded_files() == ["config.json"]


def test_path_to_a_folder_with_include(fake_hub):
    _, path = fetch(f"hf:{NER_REPO}@main/onnx?include=*.onnx")
    assert path.name == "onnx" and [p.name for p in path.iterdir()] == ["model.onnx"]
    assert fake_hub.downloaded_files() == ["onnx/model.onnx"]


def test_include_and_exclude_as_kwargs(fake_hub):
    _, path = fetch(f"hf:{NER_REPO}", include=["*.json"], exclude="tokenizer*")
    wanted = ["config.json", "onnx/config.json", "special_tokens_map.json"]
    assert sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()) == wanted
    # config.json and onnx/config.json share one blob: the Hub client fetches it once
    assert set(fake_hub.downloaded_files()) < set(wanted)


def test_sharded_safetensors(fake_hub):
    _, path = fetch(f"hf:{SHARDED_REPO}")
    names = sorted(p.name for p in path.iterdir())
    assert "model.safetensors.index.json" in names
    assert [n for n in names if n.endswith(".safetensors")] == [
        "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    assert "pytorch_model.bin.index.json" not in names


def test_pickle_only_needs_allow_pickle(fake_hub):
    from nnbench.errors import LoaderError

    with pytest.raises(LoaderError, match="allow_pickle=true") as info:
        fetch(f"hf:{PICKLE_REPO}")
    assert PICKLE_REPO in str(info.value)
    assert fake_hub.downloaded_files() == []
    _, path = fetch(f"hf:{PICKLE_REPO}?allow_pickle=true")
    assert (path / "pytorch_model.bin").is_file()
    assert not (path / "training_args.bin").exists()


def test_cache_dir_option_and_hf_hub_cache(fake_hub, tmp_path, monkeypatch):
    _, path = fetch(f"hf:{NER_REPO}?cache_dir={tmp_path / 'opt'}")
    assert str(path).startswith(str(tmp_path / "opt"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "env"))
    _, path = fetch(f"hf:{NER_REPO}")
    assert str(path).startswith(str(tmp_path / "env"))


def test_local_dir_option_and_warm_rerun(fake_hub, tmp_path):
    target = tmp_path / "model"
    _, path = fetch(f"hf:{NER_REPO}", local_dir=str(target))
    assert path == target and sorted(p.name for p in target.iterdir() if p.is_file()) == NEEDED
    fake_hub.clear_log()
    fetch(f"hf:{NER_REPO}", local_dir=str(target))
    assert [r.kind for r in fake_hub.requests] == ["info"]


def test_tree_pagination_is_followed(fake_hub):
    fake_hub.page_size = 3
    _, path = fetch(f"hf:{NER_REPO}")
    assert sorted(p.name for p in path.iterdir()) == NEEDED
    assert sum(r.kind == "tree" for r in fake_hub.requests) > 1


def test_endpoint_read_at_call_time(fake_hub, monkeypatch):
    loader = resolve(f"hf:{NER_REPO}")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    from nnbench.errors import TransferError

    with pytest.raises(TransferError, match="cannot reach the Hub"):
        loader.load()
    assert fake_hub.requests == []


def test_unreachable_hub_falls_back_to_a_complete_cache(fake_hub, monkeypatch, caplog):
    _, first = fetch(f"hf:{NER_REPO}")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    _, again = fetch(f"hf:{NER_REPO}")
    assert again == first
    assert "unreachable" in caplog.text


def test_loader_pickles_without_token_and_reloads_from_cache(fake_hub):
    loader, path = fetch(f"hf:{NER_REPO}", include=["*.json"], token=fake_hub.token)
    data = pickle.dumps(loader)
    assert fake_hub.token.encode() not in data
    clone = pickle.loads(data)
    assert clone.hf.include == ("*.json",) and clone.hf.token is None
    fake_hub.clear_log()
    assert clone.load() == path
    assert fake_hub.bytes_served() == 0


def test_construction_makes_no_request(fake_hub):
    resolve(f"hf:{NER_REPO}")
    assert fake_hub.requests == []
