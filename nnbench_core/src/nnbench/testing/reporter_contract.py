"""``ReporterContract``: the behaviour every reporter promises, as a test class to subclass.

Subclass it in a test module (name starting with ``Test``) and set ``destination``, a file
name (put in a temporary directory) or a URI with ``{tmp}`` for that directory::

    class TestMarkdownReporter(ReporterContract):
        plugin = "nnbench_markdown.plugin"
        destination = "summary.md"

    class TestStore(ReporterContract):
        destination = "sqlite:///{tmp}/results.db"
        appends = True
        atomic_rename = False
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from nnbench.errors import NNBenchError, ReporterError
from nnbench.plugins import PluginManager
from nnbench.testing.contract_base import PluginContractBase
from nnbench.testing.loader_contract import check_one_line
from nnbench.testing.samples import failing_records, sample_records
from nnbench.types import BenchmarkRecord


def local_path(destination: str) -> Path:
    """The local file behind a destination (``x.json``, ``file:///x``, ``sqlite:///x.db``)."""
    if "://" not in destination:
        return Path(destination)
    rest = urlsplit(destination).path
    return Path("/" + rest.lstrip("/")) if rest.startswith("/") else Path(rest)


class ReporterContract(PluginContractBase):
    """The reporter contract. Attributes a subclass sets:

    * ``destination``: file name, or URI containing ``{tmp}`` (fixture ``reporter_destination``);
    * ``plugin`` / ``plugin_name`` / ``load_entry_points``: as in ``LoaderContract``;
    * ``readable``: whether ``read()`` round-trips (None: when the reporter has ``read``);
    * ``appends``: writing adds to what the destination holds (a store) instead of replacing;
    * ``atomic_rename``: writes go through a temporary file and ``os.replace`` (files do);
    * ``sidecar_suffixes``: extra files the format may leave next to it (``"-wal"``);
    * ``sidecar_names``: other entries it may leave in that folder (a tracking store's
      ``"mlruns"`` artifact folder).

    Override ``normalize(record_dict)`` where the format keeps less than the whole record,
    ``check_written(path, records)`` to check the bytes of a write-only format, and
    ``local_path(destination)`` where the file behind a URI is not its path (a database in a
    ``?tracking_uri=`` option).
    """

    destination: str = ""
    readable: bool | None = None
    appends = False
    atomic_rename = True
    sidecar_suffixes: tuple[str, ...] = ()
    sidecar_names: tuple[str, ...] = ()

    def local_path(self, destination: str) -> Path:
        """The local file a write to ``destination`` creates or changes."""
        return local_path(destination)

    def normalize(self, record: dict[str, Any]) -> dict[str, Any]:
        """What of a record the format keeps; the round trip compares these."""
        return record

    def check_written(self, path: Path, records: list[BenchmarkRecord]) -> None:
        """Checks on the written file for formats that cannot be read back."""

    # -- fixtures a subclass may override -------------------------------------------------

    @pytest.fixture
    def reporter_destination(self, tmp_path: Path) -> str:
        if not self.destination:
            pytest.fail(f"{type(self).__name__}: set `destination` (e.g. 'results.json')")
        out = tmp_path / "out"
        out.mkdir()
        if "{tmp}" in self.destination:
            return self.destination.replace("{tmp}", out.as_posix())
        return str(out / self.destination)

    @pytest.fixture
    def records(self) -> list[BenchmarkRecord]:
        return sample_records()

    @pytest.fixture
    def reporter(self, contract_plugin_manager: PluginManager, reporter_destination: str) -> Any:
        from nnbench.reporter.dispatch import reporter_for

        return reporter_for(reporter_destination, contract_plugin_manager)

    # -- helpers --------------------------------------------------------------------------

    def _readable(self, reporter: Any) -> bool:
        return hasattr(reporter, "read") if self.readable is None else self.readable

    def _dicts(self, records: list[BenchmarkRecord]) -> list[dict[str, Any]]:
        return [self.normalize(json.loads(json.dumps(r.to_dict()))) for r in records]

    def _leftovers(self, destination: str) -> list[str]:
        path = self.local_path(destination)
        allowed = {path.name, *(path.name + s for s in self.sidecar_suffixes),
                   *self.sidecar_names}
        return sorted(p.name for p in path.parent.iterdir() if p.name not in allowed)

    # -- the contract ---------------------------------------------------------------------

    def test_write_leaves_only_the_file(self, reporter: Any, reporter_destination: str,
                                        records: list[BenchmarkRecord]) -> None:
        reporter.write(records, reporter_destination)
        assert self.local_path(reporter_destination).is_file()
        assert self._leftovers(reporter_destination) == [], "write() left temporary files"
        self.check_written(self.local_path(reporter_destination), records)

    def test_round_trip(self, reporter: Any, reporter_destination: str,
                        records: list[BenchmarkRecord]) -> None:
        if not self._readable(reporter):
            pytest.skip("this reporter writes but cannot read back")
        reporter.write(records, reporter_destination)
        back = reporter.read(reporter_destination)
        assert all(isinstance(r, BenchmarkRecord) for r in back)
        assert self._dicts(back) == self._dicts(records)

    def test_second_write(self, reporter: Any, reporter_destination: str,
                          records: list[BenchmarkRecord]) -> None:
        reporter.write(records[:1], reporter_destination)
        reporter.write(records[1:], reporter_destination)
        assert self._leftovers(reporter_destination) == []
        if not self._readable(reporter):
            return
        expected = records if self.appends else records[1:]
        assert self._dicts(reporter.read(reporter_destination)) == self._dicts(expected)

    def test_failed_write_keeps_old_file(self, reporter: Any, reporter_destination: str,
                                         records: list[BenchmarkRecord]) -> None:
        reporter.write(records, reporter_destination)
        before = self.local_path(reporter_destination).read_bytes()
        with pytest.raises(Exception):  # noqa: B017 -- any error; what is left matters
            reporter.write(failing_records(), reporter_destination)
        assert self._leftovers(reporter_destination) == [], "a failed write left temporary files"
        if not self.appends:
            assert self.local_path(reporter_destination).read_bytes() == before, \
                "a failed write changed the existing file"
        if self._readable(reporter):
            back = self._dicts(reporter.read(reporter_destination))
            if self.appends:  # every old record is still there, whole
                assert all(old in back for old in self._dicts(records))
            else:
                assert back == self._dicts(records)

    def test_write_is_atomic(self, reporter: Any, reporter_destination: str,
                             records: list[BenchmarkRecord],
                             monkeypatch: pytest.MonkeyPatch) -> None:
        if not self.atomic_rename:
            pytest.skip("this reporter does not write through a rename (atomic_rename = False)")
        reporter.write(records[:1], reporter_destination)
        before = self.local_path(reporter_destination).read_bytes()

        def refuse(*args: Any, **kwargs: Any) -> None:
            raise OSError(5, "Input/output error (injected by ReporterContract)")

        monkeypatch.setattr(os, "replace", refuse)
        monkeypatch.setattr(os, "rename", refuse)
        try:
            reporter.write(records[1:], reporter_destination)
        except ReporterError as exc:
            check_one_line(str(exc))
        else:
            pytest.fail("write() succeeded without os.replace/os.rename: it does not write "
                        "through a temporary file (or set atomic_rename = False)")
        finally:
            monkeypatch.undo()
        assert self.local_path(reporter_destination).read_bytes() == before
        assert self._leftovers(reporter_destination) == [], "a failed write left temporary files"

    def test_unwritable_destination(self, reporter: Any, reporter_destination: str,
                                    records: list[BenchmarkRecord]) -> None:
        path = self.local_path(reporter_destination)
        blocker = path.parent / "not-a-directory"
        blocker.write_text("a file where a directory should be\n")
        bad = reporter_destination.replace(path.parent.as_posix(), blocker.as_posix(), 1)
        assert bad != reporter_destination
        with pytest.raises(ReporterError) as info:
            reporter.write(records, bad)
        message = str(info.value)
        check_one_line(message)
        assert "not-a-directory" in message, f"the message does not name the destination: {message!r}"

    def test_read_missing_source(self, reporter: Any, reporter_destination: str) -> None:
        if not self._readable(reporter):
            pytest.skip("this reporter writes but cannot read back")
        with pytest.raises(NNBenchError) as info:
            reporter.read(reporter_destination)
        check_one_line(str(info.value))
