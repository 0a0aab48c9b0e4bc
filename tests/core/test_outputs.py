"""Outputs: every one is written even when another fails; reporters can refuse a destination
before anything runs; a missing reporter names the plugin to install."""

from __future__ import annotations

import json

import pytest
from nnbench import Session, hookimpl
from nnbench.errors import ReporterError
from nnbench.plugins import PluginManager
from nnbench.plugins.providers import PROVIDERS

from .helpers import write

SUITE = """
import nnbench

@nnbench.benchmark
def one() -> int:
    return 1
"""


class _Picky:
    """A reporter for ``picky://`` that refuses ``picky://bad`` up front and fails to write
    ``picky://broken``."""

    checked: list[str] = []

    @hookimpl
    def nnbench_register_reporters(self, register):
        register("picky", _Picky.Reporter)

    class Reporter:
        def check(self, destination):
            _Picky.checked.append(destination)
            if destination == "picky://bad":
                raise ReporterError("picky://bad: refused; pick another name")

        def write(self, records, destination):
            raise ReporterError(f"{destination}: the server went away")


@pytest.fixture
def manager():
    manager = PluginManager(load_entry_points=False)
    manager.register(_Picky(), "picky")
    return manager


def test_a_failing_output_does_not_keep_the_others_from_being_written(manager, tmp_path):
    suite = write(tmp_path / "one_bench.py", SUITE)
    out = tmp_path / "out.json"
    session = Session(plugins=manager, store=None, outputs=["picky://broken", str(out)])
    with pytest.raises(ReporterError, match="went away"):
        session.run(suite)
    doc = json.loads(out.read_text())
    assert (doc[0] if isinstance(doc, list) else doc)["benchmarks"][0]["value"] == 1


def test_a_reporter_refuses_its_destination_before_anything_runs(manager, tmp_path):
    suite = write(tmp_path / "one_bench.py", SUITE)
    session = Session(plugins=manager, store=tmp_path / "s.db", outputs=["picky://bad"])
    with pytest.raises(ReporterError, match="refused"):
        session.run(suite)
    assert "picky://bad" in _Picky.checked and not (tmp_path / "s.db").exists()


def test_a_missing_reporter_names_the_plugin(tmp_path, monkeypatch):
    monkeypatch.setitem(PROVIDERS["reporter"], "warp", "nnbench-warp")
    suite = write(tmp_path / "one_bench.py", SUITE)
    with pytest.raises(ReporterError, match=r"pip install nnbench-warp"):
        Session(store=None, outputs=["warp://u:secret@host/x"]).run(suite)
    with pytest.raises(ReporterError) as info:
        Session(store=None, outputs=["warp://u:secret@host/x"]).run(suite)
    assert "secret" not in str(info.value)
