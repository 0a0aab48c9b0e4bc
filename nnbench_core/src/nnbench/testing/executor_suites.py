"""Benchmark suites and checks that executor plugins' tests share (Dask, Ray, your own).

``ExecutorContract`` proves an executor gives the serial run's records; these pieces test the
rest an executor plugin must get right, each against its own engine: bad targets are one line
with nothing written, a killed worker's unit is retried, benchmark files travel to workers
that do not share the driver's file system.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from nnbench.plugins import hookimpl

#: A benchmark and a three-member family, for CLI runs.
TRIVIAL = textwrap.dedent('''
    import nnbench


    @nnbench.benchmark
    def answer() -> int:
        return 42


    @nnbench.parametrize([{"n": n} for n in range(3)])
    def square(n: int) -> int:
        return n * n
''')

#: ``dies`` kills its own worker process the first ``times`` times (format with ``marks``,
#: a folder that counts the deaths across processes).
KILLER = '''
    import os
    from pathlib import Path

    import nnbench

    MARKS = Path({marks!r})


    @nnbench.benchmark
    def before() -> int:
        return 1


    @nnbench.benchmark
    def dies(times: int = 1) -> int:
        """Kills its own worker process the first ``times`` times it runs."""
        MARKS.mkdir(exist_ok=True)
        if len(list(MARKS.iterdir())) < times:
            (MARKS / str(os.getpid())).touch()
            os.kill(os.getpid(), 9)
        return 7
'''

#: A benchmark taking an artifact (``--loader``) and a three-member family: the shape of the
#: runs docs/distributed.md shows.
WITH_ARTIFACT = '''
    import nnbench
    from nnbench.types import Artifact


    class Blob(Artifact[bytes]):
        def deserialize(self):
            self._value = self.path.read_bytes()


    @nnbench.benchmark
    def size(model: Blob) -> int:
        return len(model.value)


    @nnbench.parametrize([{"n": n} for n in range(3)])
    def square(n: int) -> int:
        return n * n
'''

#: Imports a sibling module, and says whether it runs from a shipped copy.
SHIPPED = '''
    import nnbench

    from shipped_helper import double


    @nnbench.benchmark
    def from_shipped_copy() -> int:
        return 1 if "nnbench-code" in __file__ else 0


    @nnbench.benchmark
    def sibling_module() -> int:
        return double(21)
'''


#: Twelve members of 0.25 s each, every one logging its start to ``{log}``: for cancellation.
SLOW = '''
    import time
    from pathlib import Path

    import nnbench

    LOG = Path({log!r})


    @nnbench.parametrize([{{"i": i}} for i in range(12)])
    def slow(i: int) -> int:
        with LOG.open("a") as f:
            f.write(f"{{i}}\\n")
        time.sleep(0.25)
        return i
'''


def cancel_after_first_result(executor: Any, plugins: Any, folder: Path) -> Path:
    """Run ``SLOW`` on ``executor``, close the event stream at its first result (what the
    session does on Ctrl-C), then close the executor. Returns the log of members that started:
    fewer than twelve lines once the executor has stopped the unit."""
    from nnbench.session import Session

    log = folder / "ran.txt"
    bench = write(folder / "b", "bench_slow.py", SLOW.format(log=str(log)))
    plan = Session(plugins=plugins, store=None).plan(bench, name="slow")
    try:
        events = executor.run(plan.units)
        first = next(e for e in events if e.kind == "result")
        assert first.result["value"] == 0
        events.close()
    finally:
        executor.close()
    return log


def killed_unit_failure(session: Any, bench: Path) -> str:
    """Run ``KILLER`` with ``dies`` killing its worker five times; the unit's failure: the
    error the session raises, or the ``WorkerDied`` result recorded for ``dies``."""
    from nnbench.errors import NNBenchError

    try:
        [record] = session.run(bench, params={"times": 5}, name="killed")
    except NNBenchError as exc:
        return str(exc)
    result = {r["name"]: r for r in record.benchmarks}["dies"]
    assert result["error_type"] == "WorkerDied"
    return str(result["error_message"])


def write(folder: Path, name: str, code: str) -> Path:
    """Write ``code`` (dedented) to ``folder/name``; return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(code))
    return path


def trivial_suite(tmp_path: Path) -> Path:
    """A ``benchmarks/`` folder under ``tmp_path`` holding ``TRIVIAL``, for CLI runs."""
    folder = tmp_path / "benchmarks"
    write(folder, "bench_cli.py", TRIVIAL)
    return folder


def lists_executor(nnbench_cli: Any, name: str, distribution: str) -> None:
    """``nnbench plugins --json`` shows plugin ``name`` (from ``distribution``), loaded without
    error, registering the executor ``name``."""
    import json

    result = nnbench_cli("plugins", "--json")
    assert result.exit_code == 0, result
    found = next(p for p in json.loads(result.stdout) if p["name"] == name)
    assert found["executors"] == [name] and found["distribution"] == distribution
    assert found["error"] is None


def one_error_line(result: Any, prefix: str = "error: --executor ") -> str:
    """The CLI result's only stderr line, which starts with ``prefix``; exit code 2."""
    assert result.exit_code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(prefix), result
    return lines[0]


def nothing_written(cwd: Path, store: Path, outputs: tuple[str, ...] = ("out.json",)) -> None:
    """No results store, no outputs, no default ``.nnbench/`` folder."""
    assert not store.exists()
    assert not any((cwd / out).exists() for out in outputs)
    assert not (cwd / ".nnbench").exists()


class RenameAfterCollection:
    """Moves the benchmark folder away once the driver has collected (and packed) it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @hookimpl
    def nnbench_collection_modifyitems(self, benchmarks: Any, config: Any) -> None:
        if self.folder.exists():
            self.folder.rename(self.folder.with_name(self.folder.name + "-gone"))


def shipped_suite(folder: Path, plugins: Any) -> Path:
    """Write ``SHIPPED`` and its sibling module to ``folder`` and register a plugin that
    renames the folder after collection: workers can only run the shipped copy."""
    write(folder, "shipped_helper.py", "def double(x):\n    return 2 * x\n")
    bench = write(folder, "bench_shipped.py", SHIPPED)
    plugins.register(RenameAfterCollection(folder), "rename-after-collection")
    return bench
