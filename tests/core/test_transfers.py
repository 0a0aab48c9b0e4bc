"""Download progress: shown through the run's sink, forwarded from workers, silent when piped."""

from __future__ import annotations

import pytest
from nnbench.artifacts import transfers


class Recording:
    """A sink that remembers what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.bytes: dict[int, int] = {}
        self.files: dict[int, int] = {}

    def add_transfer(self, label, total, files):
        key = len(self.calls)
        self.calls.append(("add", label, total, files))
        self.bytes[key], self.files[key] = 0, 0
        return key

    def update_transfer(self, key, *, advance=0, done_files=0, total=None):
        self.bytes[key] += advance
        self.files[key] += done_files

    def end_transfer(self, key):
        self.calls.append(("end", key))


@pytest.fixture
def sink():
    recording = Recording()
    previous = transfers.use_sink(recording)
    yield recording
    transfers.use_sink(previous)


def test_nothing_is_shown_when_stderr_is_not_a_terminal(capsys):
    with transfers.transfer("s3://b/m", total=10, files=1) as t:
        t.advance(10)
    assert not t.shown and capsys.readouterr().err == ""


def test_a_transfer_reports_to_the_runs_sink(sink):
    with transfers.transfer("s3://user:pw@b/m", total=10, files=2) as t:
        t.advance(4)
        t.set_bytes(10)
        t.file_done(2)
    assert sink.calls == [("add", "s3://***@b/m", 10, 2), ("end", 0)]
    assert (sink.bytes[0], sink.files[0]) == (10, 2)


def test_a_workers_transfer_is_forwarded_and_replayed(sink):
    sent = []
    forwarding = transfers.ForwardingSink(sent.append, interval=3600)
    key = forwarding.add_transfer("https://alice:secret@host/m.bin", 100, 3)
    for _ in range(50):
        forwarding.update_transfer(key, advance=2)  # throttled: nothing sent yet
    forwarding.update_transfer(key, done_files=1)  # a finished file is sent at once
    forwarding.end_transfer(key)
    assert len(sent) == 4 and "secret" not in repr(sent) and "alice" not in repr(sent)
    keys: dict = {}
    for payload in sent:
        transfers.replay(sink, keys, 7, payload)
    assert sink.calls[0] == ("add", "https://***@host/m.bin", 100, 3)
    assert (sink.bytes[0], sink.files[0]) == (100, 1) and keys == {}


def test_a_refusing_channel_stops_forwarding_without_failing():
    def refuse(payload):
        raise RuntimeError("run cancelled")

    forwarding = transfers.ForwardingSink(refuse)
    key = forwarding.add_transfer("x", None, None)
    forwarding.update_transfer(key, done_files=1)
    forwarding.end_transfer(key)  # no exception: progress never fails a download


def test_silenced_processes_show_nothing(sink):
    transfers.silence()
    try:
        with transfers.transfer("x") as t:
            assert not t.shown
    finally:
        transfers.silence(False)
    assert sink.calls == []
