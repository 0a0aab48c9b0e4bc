"""docs/plugins.md cannot drift: its hook reference is regenerated from hookspecs.py here."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from .installing import ROOT

SCRIPT = ROOT / "docs" / "gen_hook_reference.py"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_hook_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hook_reference_is_up_to_date():
    gen = _generator()
    current = gen.DOC.read_text(encoding="utf-8")
    assert gen.splice(current, gen.render()) == current, \
        "docs/plugins.md is out of date: run python docs/gen_hook_reference.py"


def test_every_hook_documented():
    gen = _generator()
    text = gen.DOC.read_text(encoding="utf-8")
    names = [name for name, _ in gen.hookspecs()]
    assert "nnbench_register_loaders" in names and "nnbench_run_finish" in names
    for name, fn in gen.hookspecs():
        assert f"### `{name}(" in text
        assert fn.__doc__ and fn.__doc__.strip(), f"hookspec {name} has no docstring"


def test_check_mode():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_fixtures_and_contracts_documented():
    from nnbench.testing import fixtures

    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in fixtures.__all__:
        assert f"`{name}`" in text, name
    for word in ("LoaderContract", "ReporterContract", "nnbench plugin new", "twine upload",
                 "-p no:", "NNBENCH_DISABLE_PLUGINS", "NNBENCH_LOAD_PLUGINS"):
        assert word in text, word


def test_every_hook_signature_written_in_docs_matches_hookspecs():
    """`nnbench_run_finish(record, run)` in any doc must name the spec's parameters."""
    import inspect
    import re

    from nnbench.plugins import hookspecs

    specs = {name: list(inspect.signature(fn).parameters)
             for name, fn in vars(hookspecs).items() if name.startswith("nnbench_")}
    pattern = re.compile(r"`(nnbench_[a-z_]+)\(([^)`]*)\)")
    seen = 0
    for doc in [*(ROOT / "docs").glob("*.md"), ROOT / "README.md"]:
        for name, args in pattern.findall(doc.read_text(encoding="utf-8")):
            if name not in specs:
                continue
            written = [a.split(":")[0].split("=")[0].strip() for a in args.split(",") if a.strip()]
            assert written == specs[name], f"{doc.name}: {name}({args}) but spec has {specs[name]}"
            seen += 1
    assert seen >= 10
