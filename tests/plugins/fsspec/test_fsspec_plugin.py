"""The plugin through the core: registration, spec parsing, errors, the loader contract, CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import fsspec
import pytest
from nnbench.artifacts import resolve
from nnbench.errors import UnknownSchemeError
from nnbench.testing import LoaderContract
from nnbench.testing.managers import isolated_plugin_manager
from nnbench_fsspec import FsspecLoader
from nnbench_fsspec.testing import KEY_ID, SECRET


@pytest.fixture
def manager():
    with isolated_plugin_manager("nnbench_fsspec.plugin", "fsspec") as m:
        yield m


def test_registers_every_fsspec_protocol_but_local_and_hf(manager):
    schemes = set(manager.loaders())
    expected = set(fsspec.available_protocols()) - {"file", "local", "hf"}
    assert expected <= schemes
    assert manager.loaders()["s3"].description
    assert manager.loaders().get("hf") is None or manager.loaders()["hf"].plugin != "fsspec"


def test_resolve_options_from_query_and_kwargs(manager):
    loader = resolve("s3://bkt/models/x?anon=true&endpoint_url=http://127.0.0.1:9", max_workers=3)
    assert isinstance(loader, FsspecLoader)
    assert loader.url == "s3://bkt/models/x"
    assert loader.storage_options == {"anon": True, "endpoint_url": "http://127.0.0.1:9"}
    assert loader.max_workers == 3
    kw = resolve("s3://bkt/k?default_block_size=1024", requester_pays="false")
    assert kw.storage_options == {"default_block_size": 1024, "requester_pays": False}


def test_chained_url_options_go_to_the_innermost_store(manager):
    loader = resolve("zip://model::s3://bkt/m.zip?anon=true")
    assert loader.url == "zip://model::s3://bkt/m.zip"
    assert loader.storage_options == {"s3": {"anon": True}}


def test_http_query_stays_in_the_url_and_is_redacted(manager):
    loader = resolve("https://host/m.bin?X-Amz-Signature=abcdef123&part=1")
    assert loader.url == "https://host/m.bin?X-Amz-Signature=abcdef123&part=1"
    assert loader.storage_options == {}
    assert "abcdef123" not in repr(loader)


def test_secret_options_redacted_in_repr(manager):
    loader = resolve(f"s3://{KEY_ID}:{SECRET}@bkt/k?secret={SECRET}")
    assert SECRET not in repr(loader)
    assert SECRET not in str(loader.provenance())


def test_uninstalled_protocol_names_what_to_install():
    from fsspec.registry import known_implementations

    known_implementations["nnbmissing"] = {
        "class": "nnb_missing_pkg.Fs", "err": "Install nnb-missing-pkg to use it"}
    try:
        with isolated_plugin_manager("nnbench_fsspec.plugin", "fsspec"):
            with pytest.raises(UnknownSchemeError) as info:
                resolve("nnbmissing://b/k").load()
    finally:
        known_implementations.pop("nnbmissing", None)
    msg = str(info.value)
    assert "nnb-missing-pkg" in msg and "\n" not in msg


def test_uninstalled_library_names_the_extra():
    pytest.importorskip("s3fs")
    try:
        import gcsfs  # noqa: F401
        pytest.skip("gcsfs is installed")
    except ImportError:
        pass
    with pytest.raises(UnknownSchemeError) as info:
        FsspecLoader("gs://bkt/model").load()
    assert "nnbench-fsspec[gcs]" in str(info.value) and "gcsfs" in str(info.value)


class TestMemoryContract(LoaderContract):
    plugin = "nnbench_fsspec.plugin"
    plugin_name = "fsspec"
    loader_class = FsspecLoader
    spec = "memory://contract-model"
    missing_spec = "memory://no-such-model"
    provenance_keys = ("spec", "path", "loader", "files", "total_size")

    @pytest.fixture(autouse=True)
    def _files(self):
        fs = fsspec.filesystem("memory")
        fs.pipe({"/contract-model/config.json": b"{}", "/contract-model/w/a.bin": b"a" * 64})
        yield
        fs.rm("/contract-model", recursive=True)


class TestS3Contract(LoaderContract):
    plugin = "nnbench_fsspec.plugin"
    plugin_name = "fsspec"
    loader_class = FsspecLoader
    secret = SECRET
    provenance_keys = ("spec", "path", "loader", "files", "total_size")

    @pytest.fixture
    def artifact_spec(self, fsspec_s3):
        fs, bucket = fsspec_s3
        fs.pipe({f"{bucket}/m/config.json": b"{}", f"{bucket}/m/model.safetensors": b"s" * 999})
        self.bucket = bucket
        return f"s3://{bucket}/m"

    @pytest.fixture
    def missing_artifact_spec(self, fsspec_s3):
        return f"s3://{fsspec_s3.bucket}/no/such/prefix"

    @pytest.fixture
    def download_counter(self, fsspec_s3_server, fsspec_s3):
        return lambda: len(fsspec_s3_server.log.object_gets(fsspec_s3.bucket))


def test_cli_fetch(fsspec_s3, fsspec_s3_server, tmp_path):
    from nnbench.testing.cli import CLIRunner

    nnbench_cli = CLIRunner(cwd=tmp_path)
    fs, bucket = fsspec_s3
    fs.pipe({f"{bucket}/m/config.json": b"{}", f"{bucket}/m/w.bin": b"w" * 100})
    ok = nnbench_cli.subprocess("fetch", f"s3://{bucket}/m", "--provenance")
    assert ok.exit_code == 0, ok.stderr
    path = ok.stdout.strip().splitlines()[-1]
    assert Path(path, "w.bin").read_bytes() == b"w" * 100
    assert '"total_size": 102' in ok.stderr

    missing = nnbench_cli.subprocess("fetch", f"s3://{bucket}/no/such/key",
                                     "--option", f"secret={SECRET}", "--option", f"key={KEY_ID}")
    assert missing.exit_code == 2
    lines = missing.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "not found" in lines[0]
    for out in (ok.stdout, ok.stderr, missing.stdout, missing.stderr):
        assert SECRET not in out


def test_servers_are_a_pytest11_plugin(request):
    import nnbench_fsspec.testing.fixtures as fixtures

    assert request.config.pluginmanager.get_plugin("nnbench_fsspec") is fixtures
    assert {"fsspec_s3_server", "fsspec_s3", "fsspec_http_server", "fsspec_http_root"} \
        <= set(fixtures.__all__)


def test_the_pytest_plugin_imports_nothing_heavy():
    """It loads in every pytest session of the environment: moto, s3fs and the servers wait."""
    code = ("import sys, nnbench_fsspec.testing.fixtures; heavy = ('moto', 's3fs', 'boto', "
            "'fsspec', 'http', 'nnbench_fsspec.testing.servers'); "
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_http_server_fixture_is_real(fsspec_http_server, fsspec_http_root):
    from urllib.request import urlopen

    (fsspec_http_root / "a.txt").write_bytes(b"hello")
    with urlopen(f"{fsspec_http_server.url}/a.txt", timeout=10) as response:
        assert response.read() == b"hello"
    assert fsspec_http_server.requests and fsspec_http_server.url.startswith("http://127.0.0.1:")
