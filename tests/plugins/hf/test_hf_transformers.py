"""transformers loads what the loader fetched, with no network, as a model and a tokenizer."""

from __future__ import annotations

import pytest
from nnbench.artifacts import resolve
from nnbench_hf.testing import NER_LABELS, NER_REPO, SHARDED_REPO

transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")


@pytest.mark.parametrize("repo", [NER_REPO, SHARDED_REPO])
def test_transformers_loads_the_fetched_snapshot(fake_hub, monkeypatch, repo):
    path = resolve(f"hf:{repo}").load()
    fake_hub.clear_log()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = transformers.AutoModelForTokenClassification.from_pretrained(path)
    tokenizer = transformers.AutoTokenizer.from_pretrained(path)
    encoded = tokenizer(["EU", "rejects", "German", "call"], is_split_into_words=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**encoded).logits
    assert logits.shape == (1, encoded["input_ids"].shape[1], len(NER_LABELS))
    assert model.config.id2label[3] == "B-PER"
    assert fake_hub.requests == []
