"""The catalogue of bad inputs: what a user may get wrong, and the one line nnbench must answer.

Each case runs ``nnbench ARGS`` in a fresh folder holding ``WORKSPACE`` (plus its own files)
and expects exit ``code`` (2 bad input, 1 a failing benchmark), one ``error:`` line on stderr
containing ``says``, no traceback and nothing written.
"""

from __future__ import annotations

import dataclasses
import sys

BENCH_OK = """
import nnbench


@nnbench.benchmark
def add(n: int = 1, x: float = 1.0, d: dict | None = None, name: str = "a") -> float:
    return n + x
"""

BENCH_ART = """
import nnbench
from nnbench import Artifact


class Doc(Artifact[str]):
    def deserialize(self):
        self._value = self.path.read_text()


@nnbench.benchmark
def length(doc: Doc) -> int:
    return len(doc.value)
"""

WORKSPACE = {"bench_ok.py": BENCH_OK, "arts/bench_art.py": BENCH_ART, "doc.txt": "hello"}

LONG = "x" * 100_000
DEEP_LIST = "[" * 3000 + "]" * 3000
DEEP_DICT = '{"a":' * 100 + "1" + "}" * 100


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    says: str
    code: int = 2
    files: dict[str, str] = dataclasses.field(default_factory=dict)
    env: dict[str, str | None] = dataclasses.field(default_factory=dict)
    needs: str | None = None  # a module the case needs (skipped without it)
    linux: bool = False


def run(*args: str) -> tuple[str, ...]:
    """``nnbench run ARGS`` writing nowhere unless the case says so."""
    return ("run", *args, "--no-store")


HF_OFFLINE = {"HF_HUB_OFFLINE": "1"}
NO_HUB = {"HF_ENDPOINT": "http://127.0.0.1:9"}  # refused at once, no network
S3_NOWHERE = {"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "k",
              "AWS_SECRET_ACCESS_KEY": "s", "NNBENCH_OFFLINE": "1"}

CASES = [
    # -- specs: fetch and --loader ---------------------------------------------------------
    Case("fetch-unknown-scheme", ("fetch", "nosuchscheme:thing"), "no loader for scheme"),
    Case("fetch-missing-path", ("fetch", "./missing/model"), "does not exist"),
    Case("fetch-empty-spec", ("fetch", ""), "does not exist"),
    Case("fetch-file-url-missing", ("fetch", "file:///no/such/place"), "does not exist"),
    Case("fetch-long-spec", ("fetch", "nosuch:" + LONG), "100,007 characters"),
    Case("fetch-long-path", ("fetch", "./" + LONG), "characters"),
    Case("fetch-option-without-value", ("fetch", "doc.txt", "--option", "novalue"),
         "--option expects KEY=VALUE"),
    Case("hf-empty", ("fetch", "hf:"), "empty hf: spec", needs="nnbench_hf"),
    Case("hf-bad-repo-id", ("fetch", "hf:org/na me"), "invalid Hub repository id",
         needs="nnbench_hf"),
    Case("hf-long-repo-id", ("fetch", "hf:org/" + LONG), "at most 96 characters",
         needs="nnbench_hf"),
    Case("hf-empty-revision", ("fetch", "hf:org/m@"), "empty revision", needs="nnbench_hf"),
    Case("hf-unknown-option", ("fetch", "hf:org/m?bogus=1"), "unknown hf: option",
         needs="nnbench_hf"),
    Case("hf-bad-bool", ("fetch", "hf:org/m?allow_pickle=maybe"), "not a boolean",
         needs="nnbench_hf"),
    Case("hf-bad-verify", ("fetch", "hf:org/m?verify=perhaps"), "not a boolean",
         needs="nnbench_hf"),
    Case("hf-bad-repo-type", ("fetch", "hf:org/m?repo_type=widget"), "invalid repo_type",
         needs="nnbench_hf"),
    Case("hf-offline-not-cached", ("fetch", "hf:org/m"), "HF_HUB_OFFLINE is set",
         env=HF_OFFLINE, needs="nnbench_hf"),
    Case("hf-unreachable", ("fetch", "hf:org/m"), "cannot reach the Hub", env=NO_HUB,
         needs="nnbench_hf"),
    Case("hf-token-not-echoed", ("fetch", "hf:org/m?token=hf_secretSecretSecret0123456789"),
         "HF_HUB_OFFLINE is set", env=HF_OFFLINE, needs="nnbench_hf"),
    Case("s3-workers-zero", ("fetch", "s3://bucket/m", "--option", "max_workers=0"),
         "max_workers='0'", env=S3_NOWHERE, needs="s3fs"),
    Case("s3-workers-negative", ("fetch", "s3://bucket/m", "--option", "max_workers=-1"),
         "max_workers='-1'",
         env=S3_NOWHERE, needs="s3fs"),
    Case("s3-workers-text", ("fetch", "s3://bucket/m", "--option", "max_workers=many"),
         "max_workers='many'", env=S3_NOWHERE, needs="s3fs"),
    Case("s3-offline-bool", ("fetch", "s3://bucket/m?offline=maybe"), "not a boolean",
         env=S3_NOWHERE, needs="s3fs"),
    Case("s3-offline-not-cached", ("fetch", "s3://AKIAUSER:pw@bucket/m"),
         "not fully in the cache", env=S3_NOWHERE, needs="s3fs"),
    Case("loader-without-artifact-param", run("bench_ok.py", "--loader", "doc.txt"),
         "no selected benchmark has a parameter annotated"),
    Case("loader-unknown-name", run("arts", "--loader", "nope=doc.txt"),
         "no artifact parameter 'nope'"),
    Case("loader-missing-path", run("arts", "--loader", "./missing.txt"), "does not exist"),
    Case("loader-unknown-scheme", run("arts", "--loader", "nosuch:thing"),
         "no loader for scheme"),
    Case("loader-long", run("arts", "--loader", "nosuch:" + LONG), "characters"),
    Case("loader-and-param", run("arts", "--loader", "doc.txt", "--param", "doc=doc.txt"),
         "given by both --param and --loader"),
    Case("loader-empty-spec", run("arts", "--loader", "doc="), "does not exist"),
    Case("artifact-not-given", run("arts"), "needs parameter 'doc'"),
    # -- parameters ------------------------------------------------------------------------
    Case("param-no-equals", run("bench_ok.py", "--param", "n"), "--param expects NAME=VALUE"),
    Case("param-empty-name", run("bench_ok.py", "--param", "=1"), "--param expects NAME=VALUE"),
    Case("param-unknown", run("bench_ok.py", "--param", "nope=1"), "unknown parameter 'nope'"),
    Case("param-bool-for-int", run("bench_ok.py", "--param", "n=true"), "must be int"),
    Case("param-false-for-int", run("bench_ok.py", "--param", "n=false"), "must be int"),
    Case("param-bool-for-float", run("bench_ok.py", "--param", "x=true"), "must be float"),
    Case("param-float-for-int", run("bench_ok.py", "--param", "n=1.5"), "must be int"),
    Case("param-text-for-int", run("bench_ok.py", "--param", "n=many"), "must be int"),
    Case("param-list-for-int", run("bench_ok.py", "--param", "n=[1]"), "must be int"),
    Case("param-text-for-dict", run("bench_ok.py", "--param", "d=oops"), "must be"),
    Case("param-deep-list", run("bench_ok.py", "--param", "d=" + DEEP_LIST), "nested more"),
    Case("param-deep-dict", run("bench_ok.py", "--param", "d=" + DEEP_DICT), "nested more"),
    Case("param-long-value", run("bench_ok.py", "--param", "n=" + LONG), "must be int"),
    Case("param-required-missing", run("req"), "needs parameter 'k'",
         files={"req/bench_req.py": "import nnbench\n\n@nnbench.benchmark\n"
                                    "def needs(k: int) -> int:\n    return k\n"}),
    Case("context-no-equals", run("bench_ok.py", "--context", "k"),
         "--context expects NAME=VALUE"),
    Case("context-empty-key", run("bench_ok.py", "--context", "=v"),
         "--context expects NAME=VALUE"),
    # -- outputs ---------------------------------------------------------------------------
    Case("output-unknown-format", run("bench_ok.py", "-o", "r.unknown"), "no reporter for output"),
    Case("output-no-extension", run("bench_ok.py", "-o", "results"), "no reporter for output"),
    Case("output-missing-folder", run("bench_ok.py", "-o", "missing/r.json"),
         "does not exist; create it first"),
    Case("output-is-a-folder", run("bench_ok.py", "-o", "arts.json"), "is a directory",
         files={"arts.json/keep": ""}),
    Case("output-proc", run("bench_ok.py", "-o", "/proc/r.json"), "refuses new files",
         linux=True),
    Case("output-sqlite-missing-folder", run("bench_ok.py", "-o", "sqlite:///missing/r.db"),
         "sqlite:////PATH absolute"),
    Case("output-sqlite-proc", run("bench_ok.py", "-o", "sqlite:////proc/r.db"),
         "refuses new files", linux=True),
    Case("output-unknown-scheme", run("bench_ok.py", "-o", "nosuch://host/r.txt"),
         "no reporter for output"),
    Case("output-empty", run("bench_ok.py", "-o", ""), "no reporter for output"),
    Case("output-checked-with-nothing-selected", run("bench_ok.py", "--tag", "none", "-o",
                                                    "r.unknown"), "no reporter for output"),
    # -- benchmark files -------------------------------------------------------------------
    Case("bench-missing-file", run("missing.py"), "does not exist"),
    Case("bench-missing-dir", run("missing/"), "does not exist"),
    Case("bench-no-default-dir", ("run", "--no-store"), "no ./benchmarks directory"),
    Case("bench-not-a-module", run("no_such_module_xyz"), "neither a path nor an importable"),
    Case("bench-syntax-error", run("bad.py"), "syntax error", files={"bad.py": "def (:\n"}),
    Case("bench-import-error", run("imp.py"), "ModuleNotFoundError",
         files={"imp.py": "import no_such_package_xyz\n"}),
    Case("bench-raises-at-import", run("boom.py"), "ValueError: boom",
         files={"boom.py": "raise ValueError('boom')\n"}),
    Case("bench-exit-at-import", run("ex.py"), "sys.exit(4) at import time",
         files={"ex.py": "import sys\nsys.exit(4)\n"}),
    Case("bench-exit-0-at-import", run("ex0.py"), "sys.exit(0) at import time",
         files={"ex0.py": "import sys\nsys.exit(0)\n"}),
    Case("bench-duplicate-names", run("dup"), "two benchmarks are named 'same'",
         files={"dup/bench_a.py": "import nnbench\n\n@nnbench.benchmark(name='same')\n"
                                  "def a() -> int:\n    return 1\n",
                "dup/bench_b.py": "import nnbench\n\n@nnbench.benchmark(name='same')\n"
                                  "def b() -> int:\n    return 2\n"}),
    Case("bench-two-artifact-types", run("two"), "one artifact type per parameter name",
         files={"two/bench_two.py": BENCH_ART + "\n\nclass Other(Artifact[str]):\n"
                "    def deserialize(self):\n        self._value = ''\n\n\n"
                "@nnbench.benchmark\ndef other(doc: Other) -> int:\n    return 0\n"}),
    Case("bench-bad-option", run("opt.py"), "repeat=0",
         files={"opt.py": "import nnbench\n\n@nnbench.benchmark(repeat=0)\n"
                          "def r() -> int:\n    return 1\n"}),
    Case("bench-fails", run("fail.py"), "1 benchmark(s) failed", code=1,
         files={"fail.py": "import nnbench\n\n@nnbench.benchmark\ndef f() -> int:\n"
                           "    raise ValueError('nope')\n"}),
    Case("bench-exits", run("exits.py"), "1 benchmark(s) failed", code=1,
         files={"exits.py": "import sys\nimport nnbench\n\n@nnbench.benchmark\n"
                            "def f() -> int:\n    sys.exit(3)\n"}),
    Case("bench-setup-fails", run("setup.py"), "1 benchmark(s) failed", code=1,
         files={"setup.py": "import nnbench\n\ndef up(bm, params):\n    raise OSError('x')\n\n"
                            "@nnbench.benchmark(setUp=up)\ndef f() -> int:\n    return 1\n"}),
    Case("bench-teardown-fails", run("down.py"), "1 benchmark(s) failed", code=1,
         files={"down.py": "import nnbench\n\ndef down(bm, params):\n    raise OSError('x')\n\n"
                           "@nnbench.benchmark(tearDown=down)\ndef f() -> int:\n    return 1\n"}),
    Case("bench-assert-fails", run("asrt.py"), "1 benchmark(s) failed", code=1,
         files={"asrt.py": "import nnbench\n\n@nnbench.benchmark\ndef f() -> int:\n"
                           "    assert False, 'no'\n"}),
    Case("bench-recursion", run("rec.py"), "1 benchmark(s) failed", code=1,
         files={"rec.py": "import nnbench\n\ndef r(n):\n    return r(n + 1)\n\n"
                          "@nnbench.benchmark\ndef f() -> int:\n    return r(0)\n"}),
    # -- compare and gates -----------------------------------------------------------------
    Case("compare-missing-store", ("compare", "a", "b"), "no results store"),
    Case("compare-missing-file", ("compare", "a.json", "b.json"), "not a result file"),
    Case("compare-bad-json", ("compare", "bad.json", "bad.json"), "not valid JSON",
         files={"bad.json": "{nope"}),
    Case("compare-too-few", ("compare", "a.json"), "arguments are required"),
    Case("compare-bad-gate", ("compare", "r.json", "r.json", "--gate", "nonsense"),
         "--gate", files={"r.json": '{"run": "r", "context": {}, "benchmarks": [], '
                                    '"run_id": "x", "timestamp": 0}'}),
    Case("compare-gate-bad-op", ("compare", "r.json", "r.json", "--gate", "a == 1"),
         "--gate", files={"r.json": '{"run": "r", "context": {}, "benchmarks": [], '
                                    '"run_id": "x", "timestamp": 0}'}),
    Case("compare-bad-metric", ("compare", "r.json", "r.json", "--metric", "bogus"),
         "invalid choice"),
    Case("compare-bad-format", ("compare", "r.json", "r.json", "--format", "bogus"),
         "invalid choice"),
    # -- stores ----------------------------------------------------------------------------
    Case("store-missing-folder", ("run", "bench_ok.py", "--store", "sqlite:///missing/x.db"),
         "does not exist; create it first"),
    Case("store-not-sqlite", ("run", "bench_ok.py", "--store", "mysql://host/db"),
         "use sqlite:///PATH.db"),
    Case("store-proc", ("run", "bench_ok.py", "--store", "/proc/x.db"), "refuses new files",
         linux=True),
    Case("store-is-a-folder", ("run", "bench_ok.py", "--store", "adir"), "is a directory",
         files={"adir/keep": ""}),
    Case("store-not-a-database", ("run", "bench_ok.py", "--store", "junk.db"),
         "is damaged (file is not a database)", files={"junk.db": "not sqlite at all" * 300}),
    Case("runs-missing-store", ("runs", "--store", "missing.db"), "no results store"),
    Case("runs-not-a-database", ("runs", "--store", "junk.db"), "is damaged",
         files={"junk.db": "not sqlite at all" * 300}),
    Case("compare-not-a-database", ("compare", "a", "b", "--store", "junk.db"), "is damaged",
         files={"junk.db": "not sqlite at all" * 300}),
    # -- executors and flags ---------------------------------------------------------------
    Case("jobs-zero", run("bench_ok.py", "-j", "0"), "-j 0"),
    Case("jobs-text", run("bench_ok.py", "-j", "many"), "-j many"),
    Case("jobs-and-executor", run("bench_ok.py", "-j", "2", "--executor", "serial"),
         "either -j N or --executor"),
    Case("executor-unknown", run("bench_ok.py", "--executor", "nosuch"), "nosuch"),
    Case("executor-processes-zero", run("bench_ok.py", "--executor", "processes:0"),
         "processes:0"),
    Case("executor-serial-target", run("bench_ok.py", "--executor", "serial:3"),
         "takes no target"),
    Case("executor-empty-target", run("bench_ok.py", "--executor", "processes:"),
         "use NAME, NAME:TARGET"),
    Case("executor-long", run("bench_ok.py", "--executor", LONG), "characters cut"),
    Case("repeat-zero", run("bench_ok.py", "--repeat", "0"), "--repeat=0"),
    Case("repeat-text", run("bench_ok.py", "--repeat", "x"), "invalid int value"),
    Case("warmup-negative", run("bench_ok.py", "--warmup", "-1"), "--warmup=-1"),
    Case("plugin-flag", ("plugins", "-p", "foo"), "-p takes no:NAME"),
    Case("unknown-command", ("bogus",), "invalid choice: 'bogus'"),
    Case("unknown-flag", run("bench_ok.py", "--bogus"), "unrecognized arguments: --bogus"),
]

assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
IS_LINUX = sys.platform.startswith("linux")
