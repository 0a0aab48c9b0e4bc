"""The entry point registers hf: without importing Hub code; blocking it gives the install hint."""

from __future__ import annotations

import subprocess
import sys

import pytest
from nnbench.artifacts import resolve
from nnbench.errors import UnknownSchemeError
from nnbench.plugins import get_plugin_manager


def test_registered_through_the_entry_point():
    registration = get_plugin_manager().loaders()["hf"]
    assert registration.plugin == "hf"
    assert "Hugging Face" in registration.description


def test_importing_the_plugin_imports_no_hub_code():
    code = ("import sys, nnbench_hf.plugin; "
            "print(any(m.split('.')[0] in ('huggingface_hub', 'torch', 'transformers') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_blocked_by_environment(monkeypatch):
    from nnbench.plugins import set_plugin_manager

    monkeypatch.setenv("NNBENCH_DISABLE_PLUGINS", "hf")
    set_plugin_manager(None)
    with pytest.raises(UnknownSchemeError) as info:
        resolve("hf:dslim/bert-base-NER")
    assert "nnbench-hf" in str(info.value) or "no:hf" in str(info.value)


def test_repr_hides_the_token():
    loader = resolve("hf:dslim/bert-base-NER?token=hf_secretvalue1234567890abcdef")
    assert "hf_secretvalue" not in repr(loader)
    assert "hf_secretvalue" not in str(loader.provenance())
    loader2 = resolve("hf:dslim/bert-base-NER", token="hf_secretvalue1234567890abcdef")
    assert "hf_secretvalue" not in repr(loader2) + repr(loader2.hf) + str(loader2.provenance())


def test_fake_hub_fixtures_are_a_pytest11_plugin(request):
    import nnbench_hf.testing.fixtures as fixtures

    assert request.config.pluginmanager.get_plugin("nnbench_hf") is fixtures
    assert set(fixtures.__all__) == {"fake_hub", "fake_hub_files", "fake_hub_server"}


def test_the_pytest_plugin_imports_nothing_heavy():
    """It loads in every pytest session of the environment: server and builders wait."""
    code = ("import sys, nnbench_hf.testing.fixtures; heavy = ('huggingface_hub', 'torch', "
            "'transformers', 'pyarrow', 'http', 'nnbench_hf.testing.server', "
            "'nnbench_hf.testing.builders'); "
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_blocking_the_pytest_plugin(tmp_path):
    (tmp_path / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    listed = {}
    for args in ((), ("-p", "no:nnbench_hf")):
        proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                               "--fixtures", *args, str(tmp_path)], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        listed[args] = "fake_hub_server" in proc.stdout
    assert listed == {(): True, ("-p", "no:nnbench_hf"): False}
