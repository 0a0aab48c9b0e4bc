"""The whole user-info of a URL is masked in messages, and loader options are typed."""

from __future__ import annotations

import pytest
from nnbench.testing import CLIRunner

USER, PASSWORD = "AKIAUSERPART0123", "pass-part-0123"


@pytest.fixture
def cli(tmp_path):
    return CLIRunner(cwd=tmp_path)


@pytest.mark.parametrize("url", [
    f"s3://{USER}:{PASSWORD}@bucket/x",
    f"s3://{USER}@bucket/x",
    f"http://{USER}:{PASSWORD}@127.0.0.1:9/x",
])
def test_user_info_is_masked_in_fetch_errors(cli, fsspec_s3_server, url):
    res = cli("fetch", url)
    assert res.exit_code == 2 and res.stderr.startswith("error: ") and "***@" in res.stderr
    assert USER not in res.stderr and PASSWORD not in res.stderr, res


def test_user_info_is_masked_in_output_errors(cli, fsspec_s3_server, tmp_path):
    (tmp_path / "bench_one.py").write_text(
        "import nnbench\n\n@nnbench.benchmark\ndef one() -> int:\n    return 1\n")
    res = cli("run", "bench_one.py", "--no-store", "-q",
              "-o", f"s3://{USER}:{PASSWORD}@no-such-bucket/r.json")
    assert res.exit_code == 2 and USER not in res.stderr + res.stdout, res
    assert PASSWORD not in res.stderr + res.stdout


@pytest.mark.parametrize(("option", "message"), [
    ("max_workers=0", "max_workers='0'"),
    ("max_workers=-1", "max_workers='-1'"),
    ("max_workers=many", "max_workers='many'"),
    ("verify=perhaps", "verify='perhaps'"),
    ("offline=2", "offline='2'"),
])
def test_bad_loader_options_are_one_line_errors(cli, fsspec_s3, option, message):
    res = cli("fetch", f"s3://{fsspec_s3.bucket}/m.txt", "--option", option)
    assert res.exit_code == 2 and message in res.stderr and res.stderr.count("\n") == 1, res


def test_max_workers_from_the_command_line_is_a_number(cli, fsspec_s3):
    """A cold cache with --option max_workers=4 (text on the command line) transfers."""
    fsspec_s3.fs.pipe(f"{fsspec_s3.bucket}/m/a.txt", b"a")
    fsspec_s3.fs.pipe(f"{fsspec_s3.bucket}/m/b.txt", b"bb")
    res = cli("fetch", f"s3://{fsspec_s3.bucket}/m", "--option", "max_workers=4")
    assert res.exit_code == 0, res
