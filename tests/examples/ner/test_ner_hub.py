"""The NER suite through the hf: loader against the fake Hub gives the local run's numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("nnbench_hf")


def run_cli(example_dir, tmp_path, *loaders, name):
    out = tmp_path / f"{name}.json"
    cmd = [sys.executable, "-m", "nnbench", "run", str(example_dir), "--tag", "metric",
           "--no-store", "-q", "-o", str(out)]
    for spec in loaders:
        cmd += ["--loader", spec]
    res = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=dict(os.environ),
                         timeout=600)
    assert res.returncode == 0, res.stderr
    return json.loads(out.read_text()), res


def metric_values(doc):
    return {b["name"]: b["value"] for b in doc["benchmarks"]}


def parquet_from_conll(conll_file, parquet_file):
    """The bundled CoNLL split as the Hub's parquet conversion lays it out (integer tags)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from conll import LABELS, read_conll

    sentences = read_conll(conll_file)
    index = {label: i for i, label in enumerate(LABELS)}
    table = pa.table({
        "id": [str(i) for i in range(len(sentences))],
        "tokens": [words for words, _ in sentences],
        "ner_tags": [[index[t] for t in tags] for _, tags in sentences],
    })
    pq.write_table(table, parquet_file)


def test_hub_model_and_dataset_give_the_local_numbers(fake_hub, example_dir, tmp_path):
    fake_hub.add_repo("dslim/bert-base-NER", {"": example_dir / "model"})
    parquet = tmp_path / "0000.parquet"
    parquet_from_conll(example_dir / "data" / "test.txt", parquet)
    fake_hub.add_repo("ZihanWangKi/conllpp", {"conllpp/test/0000.parquet": parquet},
                      repo_type="dataset", revision="refs/convert/parquet")

    local, _ = run_cli(example_dir, tmp_path, str(example_dir / "model"), name="local")
    hub, res = run_cli(
        example_dir, tmp_path, "hf:dslim/bert-base-NER",
        "data=hf:datasets/ZihanWangKi/conllpp@refs/convert/parquet?split=test", name="hub",
    )
    assert metric_values(hub) == metric_values(local)
    assert "seqeval_f1" in metric_values(hub)

    model = hub["context"]["artifacts"]["model"]
    assert model["spec"] == "hf:dslim/bert-base-NER"
    assert model["repo_id"] == "dslim/bert-base-NER"
    assert len(model["resolved_revision"]) == 40
    fetched = {f["path"] for f in model["files"]}
    assert "model.safetensors" in fetched and "pytorch_model.bin" not in fetched
    data = hub["context"]["artifacts"]["data"]
    assert data["repo_type"] == "dataset" and data["path"]
    assert "pytorch_model.bin" not in fake_hub.downloaded_files()
