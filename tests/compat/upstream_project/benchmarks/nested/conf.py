# benchmarks/nested/conf.py


class MyModel:
    def __init__(self, scale: int) -> None:
        self.scale = scale

    def predict(self, rows):
        return [r * self.scale for r in rows]


def scale() -> int:
    return 2


def model(scale: int):
    """Model, needed only by the nested benchmarks (it does not pickle across processes)."""
    return MyModel(scale)
