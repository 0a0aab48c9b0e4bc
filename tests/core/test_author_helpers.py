"""The helper modules for plugin authors: nnbench.files, nnbench.envflags, nnbench.durations."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager

import pytest
from nnbench import envflags
from nnbench.durations import format_ns, format_seconds
from nnbench.files import atomic_path, write_bytes_atomic, write_text_atomic


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- nnbench.files ------------------------------------------------------------------------

@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_file_honours_the_umask(tmp_path, mask, expected):
    with umask(mask):
        write_bytes_atomic(tmp_path / "out.bin", b"data")
    assert mode(tmp_path / "out.bin") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_builtin_reporter_writes_0644_under_umask_022(tmp_path):
    from nnbench.reporter import write_records
    from nnbench.testing import sample_records

    with umask(0o022):
        for name in ("out.json", "out.csv.gz"):
            write_records(sample_records(), str(tmp_path / name))
            assert mode(tmp_path / name) == 0o644, name


def test_replaces_whole_and_keeps_old_content_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "t.txt"
    write_text_atomic(target, "old")
    write_text_atomic(target, "new")
    assert target.read_text() == "new"

    def refuse(*args, **kwargs):
        raise OSError(5, "injected")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="injected"):
        write_text_atomic(target, "lost")
    monkeypatch.undo()
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]


def test_atomic_path_places_a_folder_and_cleans_up_after_an_error(tmp_path):
    with atomic_path(tmp_path / "model") as partial:
        assert not partial.exists() and partial.parent.parent == tmp_path
        (partial / "sub").mkdir(parents=True)
        (partial / "sub" / "w.bin").write_bytes(b"w")
    assert (tmp_path / "model" / "sub" / "w.bin").read_bytes() == b"w"
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "other") as partial:
        partial.write_text("half")
        raise RuntimeError("killed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_missing_folder_is_an_oserror(tmp_path):
    with pytest.raises(OSError):
        write_bytes_atomic(tmp_path / "no-such-dir" / "f", b"x")


# -- nnbench.envflags ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1", "true", "TRUE", "Yes", " on ", "oN"])
def test_true_words(monkeypatch, text):
    monkeypatch.setenv("NNBENCH_TEST_FLAG", text)
    assert envflags.flag("NNBENCH_TEST_FLAG") is True
    assert envflags.flag("NNBENCH_TEST_FLAG", default=True) is True
    assert envflags.parse_bool(text) is True


@pytest.mark.parametrize("text", ["0", "false", "No", "OFF"])
def test_false_words(monkeypatch, text):
    monkeypatch.setenv("NNBENCH_TEST_FLAG", text)
    assert envflags.flag("NNBENCH_TEST_FLAG", default=True) is False
    assert envflags.parse_bool(text) is False


@pytest.mark.parametrize("text", [None, "", "  ", "maybe", "2"])
def test_unset_blank_or_unknown_is_the_default(monkeypatch, text):
    if text is None:
        monkeypatch.delenv("NNBENCH_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("NNBENCH_TEST_FLAG", text)
    assert envflags.flag("NNBENCH_TEST_FLAG") is False
    assert envflags.flag("NNBENCH_TEST_FLAG", default=True) is True


def test_parse_bool():
    assert envflags.parse_bool(True) is True and envflags.parse_bool(False) is False
    assert envflags.parse_bool("") is False
    assert envflags.parse_bool("maybe") is None and envflags.parse_bool(2) is None


def test_offline_reads_the_variable_at_call_time(monkeypatch):
    monkeypatch.delenv("NNBENCH_OFFLINE", raising=False)
    assert envflags.OFFLINE == "NNBENCH_OFFLINE" and envflags.offline() is False
    monkeypatch.setenv("NNBENCH_OFFLINE", "yes")
    assert envflags.offline() is True
    monkeypatch.setenv("NNBENCH_OFFLINE", "0")
    assert envflags.offline() is False


# -- nnbench.durations --------------------------------------------------------------------

@pytest.mark.parametrize(("ns", "text"), [
    (0, "0 ns"), (999, "999 ns"), (12.345, "12.3 ns"), (1000, "1 µs"), (1234, "1.23 µs"),
    (1_234_567, "1.23 ms"), (999_999, "1 ms"), (2.5e9, "2.5 s"), (3.2e12, "3200 s"),
    (-1500, "-1.5 µs"),
])
def test_format_ns(ns, text):
    assert format_ns(ns) == text


def test_format_seconds():
    assert format_seconds(0.5) == "500 ms" and format_seconds(2) == "2 s"


def test_console_time_column_uses_it():
    from nnbench.reporter.console import BenchmarkReporter

    cell = BenchmarkReporter()._cell({"time_ns": 1_234_567}, "time")
    assert cell == "1.23 ms"


def test_lazy_exports_import_on_first_use_and_keep_the_name(tmp_path, monkeypatch):
    import sys

    from nnbench.lazy import lazy_exports

    pkg = tmp_path / "lazypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        "from nnbench.lazy import lazy_exports\n"
        "__getattr__ = lazy_exports(__name__, {'VALUE': 'heavy'})\n")
    (pkg / "heavy.py").write_text("VALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import lazypkg

    assert "lazypkg.heavy" not in sys.modules
    assert lazypkg.VALUE == 42 and "lazypkg.heavy" in sys.modules
    assert vars(lazypkg)["VALUE"] == 42  # kept: no second lookup
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        lazypkg.nope  # noqa: B018
    assert callable(lazy_exports("x", {}))
