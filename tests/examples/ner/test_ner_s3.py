"""`nnbench run examples/ner --loader ./model --loader s3://bucket/model`: one record per model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("nnbench_fsspec")
pytest.importorskip("s3fs")
pytest.importorskip("moto.server")


@pytest.fixture
def s3_endpoint():
    """A moto S3 server on 127.0.0.1 for this test only, with throw-away credentials."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_local_and_s3_models_give_one_record_each(example_dir, tmp_path, s3_endpoint):
    import s3fs

    secret = "ner-test-secret-never-shown"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": secret,
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": s3_endpoint,
           "NNBENCH_CACHE": str(tmp_path / "cache")}
    fs = s3fs.S3FileSystem(key="testing", secret=secret, endpoint_url=s3_endpoint,
                           skip_instance_cache=True)
    fs.mkdir("models")
    fs.put(str(example_dir / "model") + "/", "models/ner-v3/", recursive=True)

    out = tmp_path / "out.json"
    res = subprocess.run(
        [sys.executable, "-m", "nnbench", "run", str(example_dir), "--tag", "metric",
         "--loader", str(example_dir / "model"), "--loader", "s3://models/ner-v3",
         "--no-store", "-q", "-o", str(out)],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600,
    )
    assert res.returncode == 0, res.stderr
    local, remote = json.loads(out.read_text())
    values = [{b["name"]: b["value"] for b in r["benchmarks"]} for r in (local, remote)]
    assert values[0] == values[1] and values[0]["seqeval_f1"] >= 0.9
    s3_facts = remote["context"]["artifacts"]["model"]
    assert s3_facts["spec"] == "s3://models/ner-v3"
    assert {f["path"] for f in s3_facts["files"]} >= {"model.safetensors", "config.json"}
    assert secret not in res.stdout + res.stderr + out.read_text()
