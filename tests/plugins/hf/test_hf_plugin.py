"""The entry point registers hf: without importing Hub code; blocking it gives the install hint."""

from __future__ import annotations

import subprocess
import sys

import pytest
from nnbench.errors import UnknownSchemeError
from nnbench.artifacts import resolve
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
