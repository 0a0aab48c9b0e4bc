"""nnbench.testing's fixtures do what they promise, and clean up after themselves."""

from __future__ import annotations

import os
import textwrap

import pytest
from nnbench import hookimpl
from nnbench.plugins import get_plugin_manager


class EchoPlugin:
    """A loader plugin defined in the test: ``echo:PATH`` is the local path."""

    @hookimpl
    def nnbench_register_loaders(self, register):
        from nnbench import LocalArtifactLoader

        register("echo", lambda spec, **kw: LocalArtifactLoader(spec.rest), description="echo")


def test_cache_is_isolated(nnbench_cache):
    from nnbench.artifacts.cache import cache_dir

    assert cache_dir() == nnbench_cache and nnbench_cache.is_dir()
    assert not any(nnbench_cache.iterdir())


def test_store_is_isolated(nnbench_store, nnbench_cli, tmp_path):
    (tmp_path / "bench.py").write_text(textwrap.dedent("""
        import nnbench

        @nnbench.benchmark
        def one() -> int:
            return 1
    """))
    assert nnbench_cli("run", "bench.py", "--quiet").exit_code == 0
    assert nnbench_store.is_file()
    runs = nnbench_cli("runs", "--json")
    assert runs.exit_code == 0 and len(__import__("json").loads(runs.stdout)) == 1


class TestPluginManager:
    @pytest.fixture
    def nnbench_plugin(self):
        return EchoPlugin()

    def test_registered_and_process_wide(self, nnbench_plugin_manager, tmp_path):
        from nnbench.artifacts import resolve

        assert get_plugin_manager() is nnbench_plugin_manager
        assert "echo" in nnbench_plugin_manager.loaders()
        assert resolve(f"echo:{tmp_path}").load() == tmp_path


def test_plugin_manager_restored_and_unregistered():
    from nnbench.testing import isolated_plugin_manager

    before = get_plugin_manager()
    with isolated_plugin_manager(EchoPlugin(), "echo-plugin") as manager:
        assert get_plugin_manager() is manager and "echo-plugin" in manager.infos
    assert get_plugin_manager() is before
    assert manager.pm.get_plugin("echo-plugin") is None


def test_plugin_by_import_path(tmp_path, monkeypatch):
    from nnbench.testing import isolated_plugin_manager

    (tmp_path / "kit_by_path.py").write_text(
        "from nnbench import hookimpl\n\n"
        "@hookimpl\ndef nnbench_register_reporters(register):\n"
        "    register('.bypath', object)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with isolated_plugin_manager("kit_by_path") as manager:
        assert manager.reporters()[".bypath"].plugin == "kit_by_path"


def test_cli_in_process(nnbench_cli):
    import warnings

    showwarning = warnings.showwarning
    result = nnbench_cli("plugins", "--json")
    assert result.exit_code == 0 and '"builtin"' in result.stdout
    assert warnings.showwarning is showwarning  # the CLI's global tweaks are undone
    bad = nnbench_cli("run", "--param", "oops")
    assert bad.exit_code == 2 and bad.stderr.startswith("error:")
    usage = nnbench_cli("no-such-command")
    assert usage.exit_code == 2 and "invalid choice" in usage.stderr


def test_cli_env_is_temporary(nnbench_cli):
    nnbench_cli("plugins", "--json", env={"NNBENCH_DISABLE_PLUGINS": "hf"})
    assert "NNBENCH_DISABLE_PLUGINS" not in os.environ


def test_cli_subprocess(nnbench_cli, tmp_path):
    result = nnbench_cli.subprocess("fetch", str(tmp_path))
    assert result.exit_code == 0, result
    assert result.lines[-1] == str(tmp_path)


def test_nnbench_testing_imports_no_plugin():
    """Plugins ship their own fixtures (pytest11 entry points); the kit knows none of them."""
    import subprocess
    import sys

    code = ("import sys, nnbench.testing; "
            "print(sorted(m for m in sys.modules if m.startswith(('nnbench_hf', 'nnbench_fsspec'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
