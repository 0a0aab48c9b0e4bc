import nnbench


@nnbench.benchmark(tags=("model",))
def accuracy(model, data) -> float:
    predictions = model.predict(data["rows"])
    return sum(p == 2 * r for p, r in zip(predictions, data["rows"], strict=True)) / len(predictions)


@nnbench.parametrize([{"k": 1}, {"k": 2}], tags=("model",))
def top_k(model, data, k: int) -> int:
    return sorted(model.predict(data["rows"]))[-k]
