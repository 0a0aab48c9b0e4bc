"""Exit codes and messages: sys.exit in benchmarks, --debug, Ctrl-C, --param strictness."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
from nnbench.testing import CLIRunner

from tests.core.helpers import write

EXITS = """
    import sys
    import nnbench

    @nnbench.benchmark
    def exits() -> int:
        sys.exit(3)

    @nnbench.benchmark
    def raises() -> int:
        raise ValueError("broken on purpose")

    @nnbench.benchmark
    def fine() -> int:
        return 2
"""

PARAMS = """
    import nnbench

    @nnbench.benchmark
    def p(n: int = 1, x: float = 1.0, d: dict | None = None) -> float:
        return n + x
"""


@pytest.fixture
def cli(tmp_path):
    return CLIRunner(cwd=tmp_path)


def test_sys_exit_in_a_benchmark_fails_only_that_one(cli, tmp_path):
    write(tmp_path / "bench_exits.py", EXITS)
    res = cli("run", "bench_exits.py", "--no-store", "-o", "r.json")
    assert res.exit_code == 1, res
    results = {r["name"]: r for r in json.loads((tmp_path / "r.json").read_text())["benchmarks"]}
    assert results["fine"]["value"] == 2
    assert results["exits"]["error_type"] == "SystemExit"
    assert "sys.exit(3)" in results["exits"]["error_message"]


def test_sys_exit_at_import_time_is_one_line_exit_2(cli, tmp_path):
    write(tmp_path / "bench_imp.py", "import sys\nsys.exit(4)\n")
    res = cli("run", "bench_imp.py", "--no-store")
    assert res.exit_code == 2 and res.stderr.count("\n") == 1, res
    assert "sys.exit(4) at import time" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize(("args", "code"), [
    (("run", "missing.py"), 2),
    (("run", "bench_exits.py", "--param", "nope=1"), 2),
    (("fetch", "nosuchscheme:x"), 2),
    (("run", "bench_exits.py", "--tag", "x", "-o", "r.unknown"), 2),
])
def test_debug_adds_the_traceback_and_keeps_the_exit_code(cli, tmp_path, args, code):
    write(tmp_path / "bench_exits.py", EXITS)
    plain = cli(*args, "--no-store") if args[0] == "run" else cli(*args)
    debug = cli(*args, "--no-store", "--debug") if args[0] == "run" else cli(*args, "--debug")
    assert plain.exit_code == debug.exit_code == code, (plain, debug)
    assert "Traceback" not in plain.stderr and "Traceback" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1] == plain.stderr.rstrip()  # same last line


def test_debug_prints_the_traceback_of_a_failing_benchmark(cli, tmp_path):
    write(tmp_path / "bench_exits.py", EXITS)
    plain = cli("run", "bench_exits.py", "--no-store", "-q")
    debug = cli("run", "bench_exits.py", "--no-store", "-q", "--debug")
    assert plain.exit_code == debug.exit_code == 1
    assert "Traceback" not in plain.stderr
    assert "traceback of raises:" in debug.stderr and "broken on purpose" in debug.stderr
    assert "traceback of exits:" in debug.stderr and "sys.exit(3)" in debug.stderr


def test_interrupt_with_no_store_does_not_claim_results_were_kept(cli, tmp_path):
    write(tmp_path / "bench_int.py", """
        import nnbench

        @nnbench.benchmark
        def interrupted() -> int:
            raise KeyboardInterrupt
    """)
    res = cli("run", "bench_int.py", "--no-store")
    assert res.exit_code == 130 and "results store" not in res.stderr, res
    assert "nothing was kept (--no-store)" in res.stderr
    stored = cli("run", "bench_int.py", "--store", "s.db")
    assert stored.exit_code == 130 and "kept in the results store" in stored.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_with_no_store_in_a_real_process(tmp_path):
    write(tmp_path / "bench_slow.py", """
        import time
        import nnbench

        @nnbench.benchmark
        def slow() -> int:
            print("started", flush=True)
            time.sleep(30)
            return 1
    """)
    proc = subprocess.Popen([sys.executable, "-m", "nnbench", "run", "bench_slow.py",
                             "--no-store", "-q"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "results store" not in err and "--no-store" in err


@pytest.mark.parametrize(("param", "message"), [
    ("n=true", "must be int, got bool True"),
    ("n=false", "must be int, got bool False"),
    ("x=true", "must be float, got bool True"),
    ("n=1.5", "must be int, got float 1.5"),
    ("d=" + "[" * 5000 + "]" * 5000, "nested more than 64 levels"),
    ("d=" + '{"a":' * 70 + "1" + "}" * 70, "nested more than 64 levels"),
])
def test_param_values_are_checked_strictly(cli, tmp_path, param, message):
    write(tmp_path / "bench_p.py", PARAMS)
    res = cli("run", "bench_p.py", "--no-store", "--param", param)
    assert res.exit_code == 2 and message in res.stderr, res
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


def test_good_params_still_parse(cli, tmp_path):
    write(tmp_path / "bench_p.py", PARAMS)
    res = cli("run", "bench_p.py", "--no-store", "-o", "r.json", "--param", "n=2",
              "--param", "x=3", "--param", 'd={"a": [1, {"b": 2}]}')
    assert res.exit_code == 0, res
    assert json.loads((tmp_path / "r.json").read_text())["benchmarks"][0]["value"] == 5


def test_a_huge_message_is_one_bounded_line(cli, tmp_path):
    write(tmp_path / "bench_exits.py", EXITS)
    res = cli("run", "bench_exits.py", "--executor", "x" * 50_000)
    assert res.exit_code == 2 and res.stderr.count("\n") == 1, res
    assert len(res.stderr) < 1200 and "characters cut" in res.stderr
