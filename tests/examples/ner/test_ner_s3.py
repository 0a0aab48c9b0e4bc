"""`nnbench run examples/ner --loader ./model --loader s3://bucket/model`: one record per model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("nnbench_fsspec")  # its pytest plugin gives the moto server fixtures


def test_local_and_s3_models_give_one_record_each(example_dir, tmp_path, fsspec_s3):
    from nnbench_fsspec.testing import SECRET

    fs, bucket = fsspec_s3  # AWS_ENDPOINT_URL and throw-away credentials are in os.environ
    fs.put(str(example_dir / "model") + "/", f"{bucket}/ner-v3/", recursive=True)
    env = {**os.environ, "NNBENCH_CACHE": str(tmp_path / "cache")}

    out = tmp_path / "out.json"
    res = subprocess.run(
        [sys.executable, "-m", "nnbench", "run", str(example_dir), "--tag", "metric",
         "--loader", str(example_dir / "model"), "--loader", f"s3://{bucket}/ner-v3",
         "--no-store", "-q", "-o", str(out)],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600,
    )
    assert res.returncode == 0, res.stderr
    local, remote = json.loads(out.read_text())
    values = [{b["name"]: b["value"] for b in r["benchmarks"]} for r in (local, remote)]
    assert values[0] == values[1] and values[0]["seqeval_f1"] >= 0.9
    s3_facts = remote["context"]["artifacts"]["model"]
    assert s3_facts["spec"] == f"s3://{bucket}/ner-v3"
    assert {f["path"] for f in s3_facts["files"]} >= {"model.safetensors", "config.json"}
    assert SECRET not in res.stdout + res.stderr + out.read_text()
