"""``nnbench plugin new``: the generated plugin installs, is listed, and passes its own tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile

import pytest
from nnbench.cli.plugin import generate, template_values

from .installing import ROOT, env_with, pip_install, run_pytest


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Both kinds generated through the CLI and installed into one --target folder."""
    from nnbench.testing import CLIRunner

    work = tmp_path_factory.mktemp("plugin-new")
    cli = CLIRunner(cwd=work)
    loader = cli("plugin", "new", "nnbench-acme")
    reporter = cli("plugin", "new", "nnbench-tsvout", "--kind", "reporter")
    assert loader.exit_code == 0 and reporter.exit_code == 0, (loader, reporter)
    assert "created" in loader.stdout and "pip install" in loader.stdout
    target = pip_install(work / "site", work / "nnbench-acme", work / "nnbench-tsvout")
    return work, target


def test_files_written(generated):
    work, _ = generated
    acme = work / "nnbench-acme"
    assert sorted(p.relative_to(acme).as_posix() for p in acme.rglob("*") if p.is_file()) == [
        "README.md", "pyproject.toml", "src/nnbench_acme/__init__.py",
        "src/nnbench_acme/plugin.py", "tests/conftest.py", "tests/test_plugin.py"]
    pyproject = (acme / "pyproject.toml").read_text()
    assert '[project.entry-points.nnbench]\nacme = "nnbench_acme.plugin"' in pyproject
    assert "twine upload" in (acme / "README.md").read_text()
    for path in acme.rglob("*"):
        assert not path.is_file() or "@@" not in path.read_text(), path


def test_generated_plugins_are_listed(generated, nnbench_cli):
    _, target = generated
    result = nnbench_cli.subprocess("plugins", "--json", env=env_with(target))
    assert result.exit_code == 0, result
    infos = {p["name"]: p for p in json.loads(result.stdout)}
    assert infos["acme"]["loaders"] == ["acme"] and infos["acme"]["distribution"] == "nnbench-acme"
    assert infos["tsvout"]["reporters"] == [".tsv"] and not infos["tsvout"]["error"]


@pytest.mark.parametrize("name", ["nnbench-acme", "nnbench-tsvout"])
def test_generated_tests_pass_unchanged(generated, name):
    work, target = generated
    proc = run_pytest(work / name, target)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed" in proc.stdout and "failed" not in proc.stdout


def test_generated_reporter_writes_like_the_builtins(generated, tmp_path):
    """Files from the generated reporter get the umask's mode (0644 under 022), as ours do."""
    _, target = generated
    code = textwrap.dedent("""
        import os, stat, sys
        from nnbench.reporter import write_records
        from nnbench.testing import sample_records
        from nnbench_tsvout.plugin import TsvoutReporter

        os.umask(0o022)
        TsvoutReporter().write(sample_records(), sys.argv[1] + "/out.tsv")
        write_records(sample_records(), sys.argv[1] + "/out.json")
        for name in sorted(os.listdir(sys.argv[1])):
            print(name, oct(stat.S_IMODE(os.stat(os.path.join(sys.argv[1], name)).st_mode)))
    """)
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env_with(target)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["out.json 0o644", "out.tsv 0o644"]


def test_bad_name_is_a_usage_error(nnbench_cli):
    result = nnbench_cli("plugin", "new", "9lives")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: plugin name '9lives'") and result.stderr.count("\n") == 1


def test_existing_directory_is_refused(nnbench_cli, tmp_path):
    (tmp_path / "nnbench-acme").mkdir()
    (tmp_path / "nnbench-acme" / "keep.txt").write_text("mine")
    result = nnbench_cli("plugin", "new", "nnbench-acme")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (tmp_path / "nnbench-acme" / "keep.txt").read_text() == "mine"


def test_names_derived():
    values = template_values("nnbench-my_store", "loader")
    assert values["package"] == "nnbench_my_store" and values["plugin"] == "my_store"
    assert values["scheme"] == "my-store" and values["env"] == "NNBENCH_MY_STORE_ROOT"
    assert values["Class"] == "MyStore"
    assert template_values("acme", "reporter")["package"] == "acme"


def test_generate_api(tmp_path):
    written = generate("plainname", "reporter", tmp_path)
    assert (tmp_path / "plainname" / "src" / "plainname" / "plugin.py") in written


@pytest.mark.slow
def test_templates_ship_in_the_wheel(tmp_path):
    """Not only the editable install: a built wheel carries the templates and nnbench.testing."""
    import shutil

    src = tmp_path / "nnbench_core"
    shutil.copytree(ROOT / "nnbench_core", src,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "--no-build-isolation", "--no-index", "-w", str(tmp_path / "dist"),
                           str(src)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("common", "loader", "reporter"):
        assert any(n.startswith(f"nnbench/templates/{kind}/") for n in names), kind
    assert "nnbench/templates/loader/src/PACKAGE/plugin.py.tmpl" in names
    assert "nnbench/testing/loader_contract.py" in names
