"""A model without NER labels (a sentence-embedding BERT): one message, said once, naming both
label sets; every benchmark still recorded as failed."""

from __future__ import annotations

import re

import pytest
from nnbench.testing import CLIRunner


@pytest.fixture(scope="module")
def embedding_bert(tmp_path_factory):
    transformers = pytest.importorskip("transformers")
    out = tmp_path_factory.mktemp("embedding-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(45)]
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n")
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=16,
                                     max_position_embeddings=64)
    transformers.BertModel(config).save_pretrained(out)
    transformers.BertTokenizer(vocab=str(out / "vocab.txt")).save_pretrained(out)
    return out


def test_repeated_error_is_printed_once_with_a_count(example_dir, embedding_bert, tmp_path):
    res = CLIRunner(cwd=tmp_path).run("run", str(example_dir), "--loader",
                                      f"model={embedding_bert}", "--no-store")
    assert res.exit_code == 1, res
    flat = " ".join(res.stdout.split())
    assert flat.count("the dataset's labels do not match") == 1, res.stdout
    failed = int(re.search(r"(\d+) of \d+ benchmarks failed", flat)[1])
    assert failed > 10 and f"error 1 ({failed} benchmarks)" in flat
    assert "model's id2label: LABEL_0, LABEL_1" in flat and "dataset's: B-LOC, B-MISC" in flat
    assert len(res.stdout.splitlines()) < failed + 20  # a row each, the message once
    assert res.stderr.count(f"error: {failed} benchmark(s) failed") == 1
