# benchmarks/conf.py: fixtures as upstream's docs/cli/fixtures.md shows them.


def path() -> str:
    return "path/to/my/dataset"


def data(path: str):
    """Test dataset, to be reused by all benchmarks."""
    return {"path": path, "rows": [1, 2, 3, 4]}


def a() -> int:
    return 3


def b() -> int:
    return 2
