from functools import partial

import nnbench
import pytest
from nnbench.types import Benchmark


def test_bare_benchmark_is_plain_data():
    @nnbench.benchmark
    def accuracy(x: int) -> float:
        """Share of correct predictions."""
        return x / 2

    assert isinstance(accuracy, Benchmark)
    assert accuracy.name == "accuracy"
    assert accuracy.description == "Share of correct predictions."
    assert accuracy(x=3) == 1.5
    assert accuracy.interface.names == ("x",)


def test_benchmark_with_arguments():
    def setup(bm, params):
        pass

    @nnbench.benchmark(name="acc", setUp=setup, tags=("metric",), repeat=3)
    def accuracy() -> float:
        return 1.0

    assert (accuracy.name, accuracy.tags, accuracy.setUp) == ("acc", ("metric",), setup)
    assert accuracy.options == {"repeat": 3}


def test_unknown_option_is_rejected():
    with pytest.raises(TypeError, match="unknown benchmark option"):
        nnbench.benchmark(repat=3)


def test_partial_parametrize_as_the_guide_uses_it():
    labels = ({"class_label": "O"}, {"class_label": "B-PER"})
    per_class = partial(nnbench.parametrize, labels, tags=("metric", "per-class"))()

    @per_class
    def f1_per_class(model: str, class_label: str) -> float:
        return 0.5

    assert [b.name for b in f1_per_class] == [
        "f1_per_class_class_label=O",
        "f1_per_class_class_label=B-PER",
    ]
    assert all(b.tags == ("metric", "per-class") for b in f1_per_class)
    assert f1_per_class[1].params == {"class_label": "B-PER"}


def test_product_names_every_combination():
    @nnbench.product(batch=[1, 8], dtype=["fp32", "bf16"])
    def latency(batch: int, dtype: str) -> float:
        return 0.0

    assert [b.name for b in latency] == [
        "latency_batch=1_dtype=fp32",
        "latency_batch=1_dtype=bf16",
        "latency_batch=8_dtype=fp32",
        "latency_batch=8_dtype=bf16",
    ]


def test_duplicate_member_names_are_an_error():
    with pytest.raises(ValueError, match="two members are named"):
        nnbench.parametrize([{"a": 1}, {"a": 1}])(lambda a: a)


def test_custom_namegen_and_long_values():
    fam = nnbench.parametrize([{"xs": list(range(100))}])(lambda xs: 0)
    assert len(fam[0].name) < 80
    named = nnbench.parametrize([{"a": 1}], namegen=lambda fn, p: f"custom{p['a']}")(
        lambda a: a)
    assert named[0].name == "custom1"


def test_family_members_know_their_place_like_upstreams_state():
    import nnbench

    seen = []

    def set_up(state, params):
        seen.append((state.name, state.family, state.family_size, state.family_index))

    family = nnbench.parametrize([{"k": 1}, {"k": 2}], setUp=set_up)(lambda k: k)
    single = nnbench.benchmark(setUp=set_up)(lambda: 0)
    for bm in [*family, single]:
        bm.setUp(bm, {})
    assert seen == [("<lambda>_k=1", "<lambda>", 2, 0), ("<lambda>_k=2", "<lambda>", 2, 1),
                    ("<lambda>", "<lambda>", 1, 0)]


def test_an_upstream_style_namegen_gets_keyword_arguments():
    import nnbench

    def namegen(fn, **kwargs):
        return f"{fn.__name__}-" + "-".join(f"{v}" for v in kwargs.values())

    def f(a: int, b: int) -> int:
        return a + b

    family = nnbench.product(a=[1, 2], b=[3], namegen=namegen)(f)
    assert [b.name for b in family] == ["f-1-3", "f-2-3"]
