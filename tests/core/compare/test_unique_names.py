"""Two benchmarks with the same full name are an error at collection (exit 2 from the CLI)."""

import pytest
from nnbench import Session
from nnbench.errors import CollectionError

from ..helpers import nnbench, write

A = """
import nnbench

@nnbench.benchmark
def accuracy():
    return 0.9
"""


def test_same_name_in_two_files_is_a_collection_error(tmp_path):
    write(tmp_path / "suite" / "a.py", A)
    write(tmp_path / "suite" / "b.py", A.replace("0.9", "0.8"))
    with pytest.raises(CollectionError, match=r"two benchmarks are named 'accuracy' \(a.py:4 and b.py:4\)"):
        Session(store=None).run([tmp_path / "suite"])


def test_explicit_name_colliding_with_a_family_member(tmp_path):
    write(tmp_path / "c.py", """
        import nnbench

        @nnbench.parametrize([{"k": 1}, {"k": 2}])
        def top(k):
            return k

        @nnbench.benchmark(name="top_k=1")
        def other():
            return 0
        """)
    with pytest.raises(CollectionError, match="'top_k=1'"):
        Session(store=None).plan([tmp_path / "c.py"])


def test_same_file_twice_is_an_error(tmp_path):
    write(tmp_path / "a.py", A)
    with pytest.raises(CollectionError, match="collected twice"):
        Session(store=None).plan([tmp_path / "a.py", tmp_path / "a.py"])


def test_unselected_duplicates_do_not_matter(tmp_path):
    write(tmp_path / "a.py", A.replace("@nnbench.benchmark", "@nnbench.benchmark(tags=('x',))"))
    write(tmp_path / "b.py", A)
    plan = Session(store=None).plan([tmp_path], tags=["x"])
    assert [b.name for b in plan.benchmarks] == ["accuracy"]


def test_cli_says_one_line_and_exits_2(tmp_path):
    write(tmp_path / "a.py", A)
    write(tmp_path / "b.py", A)
    proc = nnbench("run", ".", "--no-store", "-o", "out.json", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and proc.stderr.startswith("error: two benchmarks")
    assert not (tmp_path / "out.json").exists()
