"""Pickles (and so everything an executor sends to a worker) carry redacted specs only.

The secret of a spec (``?token=``, ``?key=&secret=``, ``user:pass@``) stays in the driver; a
worker's loader takes its credentials from its own environment. Real servers on 127.0.0.1: a
fake Hub (gated repo), moto S3 and an HTTP server.
"""

from __future__ import annotations

import os
import pickle
import textwrap
from pathlib import Path

import pytest
from nnbench import Artifact, Session

pytest.importorskip("nnbench_hf")
pytest.importorskip("nnbench_fsspec")
pytest.importorskip("s3fs")

HF_SECRET = "hf_specOnlyToken0123456789abcdefXYZ"
S3_KEY, S3_SECRET = "AKIASPECKEY0123", "spec-secret-0123456789"
HTTP_USER, HTTP_PASS = "alice-user", "p4ssw0rd-xyz"
ALL_SECRETS = (HF_SECRET, S3_KEY, S3_SECRET, HTTP_USER, HTTP_PASS)

BENCH = """
    import nnbench
    from nnbench import Artifact


    class Blob(Artifact[bytes]):
        def deserialize(self):
            p = self.path
            if p.is_dir():
                p = next(q for q in sorted(p.rglob("*")) if q.is_file() and ".cache" not in q.parts)
            self._value = p.read_bytes()


    @nnbench.benchmark
    def size(blob: Blob) -> int:
        return len(blob.value)
"""


def specs(hub: str, bucket: str, http: str) -> list[str]:
    return [
        f"hf:org/gated?token={HF_SECRET}&endpoint={hub}",
        f"s3://{bucket}/m.txt?key={S3_KEY}&secret={S3_SECRET}",
        f"{http.replace('http://', f'http://{HTTP_USER}:{HTTP_PASS}@')}/m.txt",
    ]


def assert_clean(data: bytes | str) -> None:
    text = data if isinstance(data, str) else data.decode("latin-1")
    leaked = [s for s in ALL_SECRETS if s in text]
    assert not leaked, f"secrets in the pickle: {leaked}"


@pytest.fixture(scope="module")
def hub():
    from nnbench_hf.testing import FakeHub

    with FakeHub() as server:
        server.add_repo("org/gated", {"config.json": b'{"a": 1}'}, gated=True)
        server.valid_tokens.add(HF_SECRET)
        server.keep_as_defaults()
        yield server


@pytest.fixture
def servers(hub, fsspec_s3, fsspec_http_server, fsspec_http_root, tmp_path, monkeypatch):
    """Specs with secrets for the three stores; the environment holds the ambient ones."""
    from nnbench_hf.testing import DEFAULT_TOKEN

    hub.reset()
    hub.valid_tokens.add(HF_SECRET)
    for name, value in hub.environment(tmp_path / "hf-home").items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("HF_TOKEN", DEFAULT_TOKEN)  # what a worker authenticates with
    fsspec_s3.fs.pipe(f"{fsspec_s3.bucket}/m.txt", b"s3 bytes!")
    (fsspec_http_root / "m.txt").write_bytes(b"http bytes")
    bench = tmp_path / "bench_secret.py"
    bench.write_text(textwrap.dedent(BENCH))
    return specs(hub.endpoint, fsspec_s3.bucket, fsspec_http_server.url), bench


def test_artifacts_loaders_and_units_pickle_without_secrets(servers):
    spec_list, bench = servers
    for spec in spec_list:
        art = Artifact(spec)
        assert_clean(pickle.dumps(art))  # unbound: the spec string
        assert_clean(pickle.dumps(art.loader))  # resolved through the plugin
        assert_clean(pickle.dumps(art))  # bound
        art.path  # noqa: B018 -- loaded with the spec's own secret here
        assert_clean(pickle.dumps(art) + pickle.dumps(art.loader))
        assert_clean(repr(art) + str(art.provenance()))
        clone = pickle.loads(pickle.dumps(art))
        assert "***" in clone.spec and clone.path.exists()
    plan = Session(store=None).plan(bench, loaders=spec_list)
    assert len(plan.units) == 3
    for unit in plan.units:
        assert_clean(pickle.dumps(unit))


def test_resolve_of_a_redacted_spec_drops_the_masked_parts(servers):
    from nnbench.artifacts import resolve

    spec_list, _ = servers
    hf = resolve(spec_list[0].replace(HF_SECRET, "***"))
    assert hf.hf.token is None and hf.spec.endswith("token=***&endpoint=" + hf.hf.endpoint)
    s3 = resolve(spec_list[1].replace(S3_KEY, "***").replace(S3_SECRET, "***"))
    assert "key" not in s3.storage_options and "secret" not in s3.storage_options
    http = resolve(spec_list[2].replace(f"{HTTP_USER}:{HTTP_PASS}", "***"))
    assert "@" not in http.url


@pytest.mark.parametrize("executor", ["serial", "processes:2"])
def test_executors_still_load_them(servers, executor, tmp_path):
    spec_list, bench = servers
    store = tmp_path / "store.db"
    out = tmp_path / "out.json"
    session = Session(store=store, executor=executor, outputs=[str(out)])
    records = session.run(bench, loaders=spec_list)
    assert session.failures == []
    assert [r.benchmarks[0]["value"] for r in records] == [8, 9, 10]
    assert_clean(out.read_text())
    assert_clean(store.read_bytes())
    if executor != "serial":  # really ran elsewhere
        assert {r.context["execution"]["pid"] for r in records} != {os.getpid()}
    assert all("***" in r.context["artifacts"]["blob"]["spec"] for r in records)


def test_a_worker_without_credentials_fails_only_its_binding(servers, monkeypatch, tmp_path):
    """The spec's token is not shipped: a worker with no token of its own is refused."""
    spec_list, bench = servers
    monkeypatch.delenv("HF_TOKEN")
    session = Session(store=None, executor="processes:1")
    records = session.run(bench, loaders=spec_list)
    assert len(session.failures) == 1 and "gated" in str(session.failures[0][1])
    assert [r.benchmarks[0]["value"] for r in records] == [9, 10]
    assert Path(tmp_path).exists()
