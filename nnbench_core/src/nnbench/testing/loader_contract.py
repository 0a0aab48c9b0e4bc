"""``LoaderContract``: the behaviour every artifact loader promises, as a test class to subclass.

Subclass it in a test module (its name must start with ``Test``) and set ``spec`` and
``missing_spec``, or override the ``artifact_spec`` / ``missing_artifact_spec`` fixtures
when the spec needs a temporary directory or a server::

    class TestZipLoader(LoaderContract):
        plugin = "nnbench_zip.plugin"          # registered for the test (None: built-ins)

        @pytest.fixture
        def artifact_spec(self, tmp_path):
            ...                                 # create the artifact
            return f"zip:{tmp_path / 'model.zip'}"

        missing_spec = "zip:/no/such/model.zip"
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nnbench.artifacts import Artifact, ArtifactLoader, resolve
from nnbench.errors import ArtifactNotFoundError, NNBenchError
from nnbench.plugins import PluginManager
from nnbench.redact import redact_text, redact_url
from nnbench.testing.contract_base import PluginContractBase
from nnbench.testing.samples import VALUE_SENTINEL, ContractArtifact, files_snapshot
from nnbench.types import Benchmark


def check_one_line(message: str, *, secrets: tuple[str, ...] = ()) -> None:
    """An error message fit for users: one non-empty line, no traceback, no secret."""
    assert message.strip(), "the error message is empty"
    assert "\n" not in message.strip(), f"the error message spans several lines: {message!r}"
    assert "Traceback" not in message, f"the error message holds a traceback: {message!r}"
    assert len(message) <= 600, f"the error message is too long ({len(message)} characters)"
    for secret in secrets:
        assert secret not in message, "the error message contains the secret"


def spec_secrets(spec: str) -> tuple[str, ...]:
    """Values inside ``spec`` that redaction removes (user-info, secret query values)."""
    redacted = redact_url(spec)
    if redacted == spec:
        return ()
    from urllib.parse import parse_qsl, urlsplit

    from nnbench.redact import is_secret_key

    found = []
    for part in spec.split("::"):
        split = urlsplit(part)
        if "@" in split.netloc:
            found.append(split.netloc.rsplit("@", 1)[0])
        found += [v for k, v in parse_qsl(split.query) if is_secret_key(k)]
    return tuple(s for s in found if len(s) >= 4)


class _LoadSpy:
    """Counts ``load()`` calls on one loader instance."""

    def __init__(self, loader: ArtifactLoader) -> None:
        self.calls = 0
        self._load = loader.load
        loader.load = self  # type: ignore[method-assign]

    def __call__(self) -> Any:
        self.calls += 1
        return self._load()


class LoaderContract(PluginContractBase):
    """The loader contract. Attributes a subclass sets (fixtures of the same role override):

    * ``spec`` / fixture ``artifact_spec``: a spec of an artifact that exists;
    * ``missing_spec`` / fixture ``missing_artifact_spec``: one that does not;
    * ``plugin`` (module, import path or object; None: only the built-ins) and ``plugin_name``;
      ``load_entry_points = True`` to use the installed plugins instead;
    * ``loader_class``: the ``ArtifactLoader`` subclass ``resolve`` must return;
    * ``missing_error``: the error type for a missing artifact (``ArtifactNotFoundError``);
    * ``missing_message_contains``: text the missing-artifact message must contain;
    * ``provenance_keys``: keys the provenance must have after loading;
    * ``secret`` / fixture ``artifact_secret``: a credential that must never show up;
    * fixture ``download_counter``: None, or a callable returning how many transfers happened.
    """

    spec: str | None = None
    missing_spec: str | None = None
    loader_class: type[ArtifactLoader] | None = None
    missing_error: type[Exception] = ArtifactNotFoundError
    missing_message_contains: tuple[str, ...] = ()
    provenance_keys: tuple[str, ...] = ("spec", "path", "loader")
    secret: str | None = None
    artifact_class: type[Artifact[Any]] = ContractArtifact

    # -- fixtures a subclass may override -------------------------------------------------

    @pytest.fixture
    def artifact_spec(self) -> str:
        if self.spec is None:
            pytest.fail(f"{type(self).__name__}: set `spec` or override `artifact_spec`")
        return self.spec

    @pytest.fixture
    def missing_artifact_spec(self) -> str:
        if self.missing_spec is None:
            pytest.fail(f"{type(self).__name__}: set `missing_spec` or override "
                        f"`missing_artifact_spec`")
        return self.missing_spec

    @pytest.fixture
    def artifact_secret(self) -> str | None:
        return self.secret

    @pytest.fixture
    def download_counter(self) -> Callable[[], int] | None:
        return None

    @pytest.fixture
    def contract(self, contract_plugin_manager: PluginManager, artifact_spec: str,
                 artifact_secret: str | None, download_counter: Any, contract_cache: Path,
                 ) -> dict[str, Any]:
        secrets = tuple(s for s in (artifact_secret, *spec_secrets(artifact_spec)) if s)
        return {"spec": artifact_spec, "secrets": secrets, "count": download_counter,
                "cache": contract_cache, "manager": contract_plugin_manager}

    # -- the contract ---------------------------------------------------------------------

    def test_resolves_spec(self, contract: dict[str, Any]) -> None:
        loader = resolve(contract["spec"])
        assert isinstance(loader, ArtifactLoader)
        if self.loader_class is not None:
            assert isinstance(loader, self.loader_class), type(loader)
        assert isinstance(loader.spec, str) and loader.spec, "resolve() must set loader.spec"

    def test_constructing_loads_nothing(self, contract: dict[str, Any]) -> None:
        before = contract["count"]() if contract["count"] else None
        loader = resolve(contract["spec"])
        spy = _LoadSpy(loader)
        artifact = self.artifact_class(loader)
        assert spy.calls == 0, "constructing an artifact called load()"
        assert not artifact.is_deserialized()
        assert not [p for p in contract["cache"].rglob("*") if p.is_file()], \
            "resolving or constructing wrote files into the nnbench cache"
        if contract["count"]:
            assert contract["count"]() == before, "resolving or constructing transferred data"
        assert artifact.path.exists()
        artifact.path  # noqa: B018
        assert spy.calls == 1, f"load() ran {spy.calls} times for two .path reads"
        assert artifact.value["sentinel"] == VALUE_SENTINEL
        assert artifact.is_deserialized()

    def test_second_load_hits_cache(self, contract: dict[str, Any]) -> None:
        first = Path(resolve(contract["spec"]).load())
        snapshot = files_snapshot(first)
        assert snapshot, f"load() returned {first}, which holds no files"
        transfers = contract["count"]() if contract["count"] else None
        second = Path(resolve(contract["spec"]).load())  # a new loader, as a new run would
        assert second.resolve() == first.resolve(), "a second load returned another path"
        assert files_snapshot(second) == snapshot, "a second load rewrote the files"
        if contract["count"]:
            assert contract["count"]() == transfers, "a second load transferred data again"

    def test_missing_artifact(self, contract: dict[str, Any], missing_artifact_spec: str) -> None:
        with pytest.raises(self.missing_error) as info:
            resolve(missing_artifact_spec).load()
        assert isinstance(info.value, NNBenchError), "loader errors must derive from NNBenchError"
        message = str(info.value)
        check_one_line(message, secrets=contract["secrets"])
        for text in self.missing_message_contains:
            assert text in message, f"{text!r} not in the message {message!r}"

    def test_provenance(self, contract: dict[str, Any]) -> None:
        artifact = self.artifact_class(contract["spec"])
        path = artifact.path
        facts = artifact.provenance()
        missing = [k for k in self.provenance_keys if k not in facts]
        assert not missing, f"provenance lacks {missing}: {facts}"
        assert Path(facts["path"]) == path
        json.dumps(facts)  # JSON-safe
        json.dumps(artifact.loader.provenance())
        for entry in facts.get("files") or ():
            assert isinstance(entry.get("path"), str) and isinstance(entry.get("size"), int), entry
        if "total_size" in facts and facts.get("files") is not None:
            assert facts["total_size"] >= sum(e["size"] for e in facts["files"])

    def test_pickles_as_spec(self, contract: dict[str, Any]) -> None:
        loader = resolve(contract["spec"])
        data = pickle.dumps(loader)
        assert len(data) < 4096, f"a pickled loader should be its spec, not {len(data)} bytes"
        clone = pickle.loads(data)
        assert type(clone) is type(loader) and clone.spec == loader.spec
        assert files_snapshot(clone.load()) == files_snapshot(loader.load())

        artifact = self.artifact_class(contract["spec"])
        value = artifact.value
        data = pickle.dumps(artifact)
        assert VALUE_SENTINEL.encode() not in data, "a pickled artifact carries its value"
        for secret in contract["secrets"]:
            if secret not in contract["spec"]:
                assert secret.encode() not in data, "a pickled artifact carries the secret"
        copy = pickle.loads(data)
        assert type(copy) is type(artifact) and not copy.is_deserialized()
        assert copy.value["files"] == value["files"]

    def test_no_secret_in_repr_results_or_provenance(self, contract: dict[str, Any]) -> None:
        from nnbench.session import Session

        loader = resolve(contract["spec"])
        artifact = self.artifact_class(loader)
        texts = {"repr(loader)": repr(loader), "repr(artifact)": repr(artifact)}
        benchmark = Benchmark(fn=_file_count, name="contract_file_count")
        record = Session(plugins=contract["manager"], store=None).run(
            [benchmark], params={"model": artifact}, context={})[0]
        assert not record.failed, record.failed
        texts["repr(loaded artifact)"] = repr(artifact)
        texts["provenance"] = json.dumps(artifact.provenance())
        texts["record"] = json.dumps(record.to_dict())
        assert record.context["artifacts"]["model"]["spec"], "the record lacks the artifact spec"
        for where, text in texts.items():
            for secret in contract["secrets"]:
                assert secret not in text, f"the secret shows in {where}"
            assert redact_text(text) == text, f"a token-shaped string shows in {where}"


def _file_count(model: Artifact) -> int:
    """1 when the artifact's path exists."""
    return int(model.path.exists())
