"""Entry-point discovery with real installed distributions: a good plugin and a broken one."""

from __future__ import annotations

import json

import pytest

from .installing import HERE, env_with, pip_install


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return pip_install(tmp_path_factory.mktemp("dists") / "site",
                       HERE / "dists" / "kit-good", HERE / "dists" / "kit-broken")


@pytest.fixture
def cli(site, nnbench_cli, tmp_path):
    (tmp_path / "models" / "tiny").mkdir(parents=True)
    (tmp_path / "models" / "tiny" / "w.bin").write_bytes(b"1234")

    def run(*args, **env):
        return nnbench_cli.subprocess(*args, env=env_with(site, KITGOOD_ROOT=str(tmp_path / "models"),
                                                          **env))
    return run


def _plugins(result):
    assert result.exit_code == 0, result
    return {p["name"]: p for p in json.loads(result.stdout)}


def _warnings(result, name):
    return [line for line in result.stderr.splitlines() if "warning" in line and name in line]


def test_good_listed_broken_reported_once(cli):
    result = cli("plugins", "--json")
    infos = _plugins(result)
    good, broken = infos["kitgood"], infos["kitbroken"]
    assert good["distribution"] == "nnbench-kit-good" and good["version"] == "0.1.0"
    assert good["loaders"] == ["kitgood"] and good["reporters"] == [".kitgood"]
    assert broken["distribution"] == "nnbench-kit-broken" and "unobtainium" in broken["error"]
    assert infos["builtin"]["error"] is None and "file" in infos["builtin"]["loaders"]
    (warning,) = _warnings(result, "kitbroken")
    assert "unobtainium" in warning and "nnbench-kit-broken" in warning


def test_everything_else_works_next_to_a_broken_plugin(cli, tmp_path):
    result = cli("fetch", "kitgood:tiny")
    assert result.exit_code == 0, result
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "models" / "tiny")
    assert len(_warnings(result, "kitbroken")) == 1
    table = cli("plugins")
    assert table.exit_code == 0 and "kitbroken" in table.stdout and "error" in table.stdout


def test_block_with_p_no(cli):
    result = cli("-p", "no:kitgood", "-p", "no:kitbroken", "plugins", "--json")
    infos = _plugins(result)
    assert infos["kitgood"]["blocked"] and infos["kitgood"]["loaders"] == []
    assert infos["kitbroken"]["blocked"] and infos["kitbroken"]["error"] is None
    assert not _warnings(result, "kitbroken")
    fetch = cli("-p", "no:kitgood", "fetch", "kitgood:tiny")
    assert fetch.exit_code == 2
    assert fetch.stderr.splitlines()[-1].startswith("error: no loader for scheme 'kitgood'")


def test_disable_plugins_variable(cli):
    result = cli("plugins", "--json", NNBENCH_DISABLE_PLUGINS="kitbroken, kitgood")
    infos = _plugins(result)
    assert infos["kitgood"]["blocked"] and infos["kitbroken"]["blocked"]
    assert result.stderr == ""


def test_load_plugins_variable(cli, tmp_path):
    result = cli("plugins", "--json", NNBENCH_LOAD_PLUGINS="kitgood")
    infos = _plugins(result)
    assert not infos["kitgood"]["blocked"] and infos["kitgood"]["loaders"] == ["kitgood"]
    others = [n for n, i in infos.items() if n not in ("kitgood", "builtin")]
    assert others and all(infos[n]["blocked"] for n in others), infos
    assert result.stderr == ""
    assert cli("fetch", str(tmp_path / "models"), NNBENCH_LOAD_PLUGINS="kitgood").exit_code == 0


def test_in_process_discovery(site, nnbench_cli, monkeypatch):
    """The in-process runner sees distributions added to sys.path as well."""
    monkeypatch.syspath_prepend(str(site))
    result = nnbench_cli("plugins", "--json")
    infos = _plugins(result)
    assert infos["kitgood"]["loaders"] == ["kitgood"] and infos["kitbroken"]["error"]
    assert len(_warnings(result, "kitbroken")) == 1
