import nnbench


@nnbench.benchmark
def add(a: int, b: int) -> int:
    return a + b


@nnbench.benchmark
def sub(a: int, b: int) -> int:
    return a - b


@nnbench.benchmark(tags=("data",))
def rows(data) -> int:
    return len(data["rows"])
