import gc
import pickle
import threading
import weakref

import pytest
from nnbench.errors import ArtifactNotFoundError
from nnbench.types import Artifact, ArtifactLoader, LocalArtifactLoader


class CountingLoader(ArtifactLoader):
    calls = 0

    def __init__(self, path):
        self.path = path

    def load(self):
        type(self).calls += 1
        return self.path


class Blob:
    pass


class BlobArtifact(Artifact[Blob]):
    deserialized = 0

    def deserialize(self):
        type(self).deserialized += 1
        self._value = Blob()


@pytest.fixture(autouse=True)
def _reset_counts():
    CountingLoader.calls = 0
    BlobArtifact.deserialized = 0


def test_construction_loads_nothing_and_value_loads_once(tmp_path):
    art = BlobArtifact(CountingLoader(tmp_path))
    assert CountingLoader.calls == 0 and not art.is_deserialized()
    first, second = art.value, art.value
    assert first is second
    assert (CountingLoader.calls, BlobArtifact.deserialized) == (1, 1)
    assert art.is_deserialized()


def test_concurrent_first_access_deserializes_once(tmp_path):
    art = BlobArtifact(CountingLoader(tmp_path))
    values = []
    threads = [threading.Thread(target=lambda: values.append(art.value)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(v) for v in values}) == 1
    assert (CountingLoader.calls, BlobArtifact.deserialized) == (1, 1)


def test_release_frees_the_value(tmp_path):
    art = BlobArtifact(CountingLoader(tmp_path))
    ref = weakref.ref(art.value)
    art.release()
    gc.collect()
    assert ref() is None and not art.is_deserialized()
    art.value  # noqa: B018 -- reloads from the known path
    assert (CountingLoader.calls, BlobArtifact.deserialized) == (1, 2)


def test_with_block_releases(tmp_path):
    with BlobArtifact(tmp_path) as art:
        ref = weakref.ref(art.value)
    gc.collect()
    assert ref() is None


def test_string_spec_and_path_work_as_loaders(tmp_path):
    art = BlobArtifact(str(tmp_path))
    assert isinstance(art.loader, LocalArtifactLoader)
    assert art.path == tmp_path


def test_missing_local_path_is_a_clear_error(tmp_path):
    with pytest.raises(ArtifactNotFoundError, match="does not exist"):
        BlobArtifact(str(tmp_path / "nope"))


def test_pickles_as_spec_never_value(tmp_path):
    (tmp_path / "weights.bin").write_bytes(b"x" * 10)
    art = BlobArtifact(tmp_path)
    art.value  # noqa: B018
    data = pickle.dumps(art)
    assert len(data) < 500
    clone = pickle.loads(data)
    assert isinstance(clone, BlobArtifact) and not clone.is_deserialized()
    assert clone.path == tmp_path


def test_provenance_has_spec_path_and_files(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    art = BlobArtifact(tmp_path)
    assert "path" not in art.provenance()  # nothing loaded yet
    art.path  # noqa: B018
    facts = art.provenance()
    assert facts["path"] == str(tmp_path)
    assert facts["files"] == [{"path": "config.json", "size": 2}]
    assert facts["total_size"] == 2


class SplitArtifact(BlobArtifact):
    def __init__(self, loader, split="test"):
        super().__init__(loader)
        self.split = split


def test_subclass_attributes_survive_pickling(tmp_path):
    art = SplitArtifact(tmp_path, split="validation")
    art.value  # noqa: B018
    clone = pickle.loads(pickle.dumps(art))
    assert clone.split == "validation" and not clone.is_deserialized()
    assert clone.value is not art.value


def test_local_spec_options_reach_the_artifact(tmp_path):
    from nnbench.artifacts import resolve

    loader = resolve(f"{tmp_path}?split=validation")
    assert loader.options == {"split": "validation"} and loader.load() == tmp_path
    assert loader.spec == f"{tmp_path}?split=validation"
    assert pickle.loads(pickle.dumps(loader)).options == {"split": "validation"}
    assert resolve(f"file://{tmp_path}?split=x").options == {"split": "x"}
