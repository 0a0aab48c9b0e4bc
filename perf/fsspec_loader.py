"""nnbench-fsspec speed, as ratios measured in one run against the baselines.

1. Cold transfer of a ~200 MB multi-file model from a loopback S3 server (moto, in its own
   process) with ``FsspecLoader`` vs s3fs's own ``fs.get(prefix, dir, recursive=True)``.
   Goal: throughput >= 0.9x s3fs's.
2. Warm-cache load (``load()`` = one listing + manifest check, then reading every file with
   safetensors) vs reading the same files from a plain local directory. Goal: <= 1.1x.
3. Warm offline load (``offline=True``: manifest check only, no request) vs the same local
   directory. Goal: <= 1.1x.

Needs: pip install -c constraints.txt 'moto[server]' s3fs safetensors numpy, and the plugin.
Usage: python perf/fsspec_loader.py [--mb 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SECRET = "perf-secret-not-shown"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("moto server did not start")


def make_model(root: Path, total_mb: int) -> None:
    """Four safetensors shards (~90% of the size), a tokenizer and small files."""
    import numpy as np
    from safetensors.numpy import save_file

    rng = np.random.default_rng(0)
    shard_mb = total_mb * 0.9 / 4
    for i in range(4):
        n = int(shard_mb * 2**20 / 4 / 2)
        tensors = {f"layer{i}.a": rng.standard_normal(n, dtype=np.float32),
                   f"layer{i}.b": rng.standard_normal(n, dtype=np.float32)}
        save_file(tensors, str(root / f"model-{i + 1:05d}-of-00004.safetensors"))
    (root / "config.json").write_text('{"model_type": "bert"}')
    extra = root / "extra"
    extra.mkdir()
    small = int(total_mb * 0.1 * 2**20 / 20)
    for i in range(20):
        (extra / f"part{i:02d}.bin").write_bytes(rng.bytes(small))


def read_all(root: Path) -> int:
    """'Load' a model directory: safetensors shards through safetensors, other files read."""
    from safetensors.numpy import load_file

    n = 0
    for p in sorted(root.rglob("*")):
        if p.suffix == ".safetensors":
            n += sum(a.nbytes for a in load_file(str(p)).values())
        elif p.is_file():
            n += len(p.read_bytes())
    return n


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    port = free_port()
    os.environ.update(
        AWS_ACCESS_KEY_ID="perf", AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}",
    )
    work = Path(tempfile.mkdtemp(prefix="nnbench-fsspec-perf-"))
    server = start_moto(port)
    try:
        run(work, args)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, args: argparse.Namespace) -> None:
    import s3fs
    from nnbench_fsspec import FsspecLoader

    src = work / "src"
    src.mkdir()
    make_model(src, args.mb)
    size = sum(p.stat().st_size for p in src.rglob("*") if p.is_file())
    nfiles = sum(1 for p in src.rglob("*") if p.is_file())
    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    fs.mkdir("perf")
    fs.put(str(src) + "/", "perf/model", recursive=True)
    url = "s3://perf/model"
    print(f"model: {nfiles} files, {size / 2**20:.1f} MiB on moto at 127.0.0.1")

    base_t, ours_t = [], []
    last = args.rounds - 1
    for r in range(args.rounds):
        dest, cache = work / f"get{r}", work / f"cache{r}"

        def baseline(dest: Path = dest) -> None:
            s3fs.S3FileSystem(skip_instance_cache=True).get("perf/model/", str(dest), recursive=True)

        def ours(cache: Path = cache) -> None:
            s3fs.S3FileSystem.clear_instance_cache()
            FsspecLoader(url, cache_dir=cache).load()

        # alternate who goes first; flush dirty pages so neither pays the other's writeback
        order = [(baseline, base_t, dest), (ours, ours_t, cache)]
        for fn, times, out in order if r % 2 == 0 else order[::-1]:
            os.sync()
            times.append(timed(fn))
            got = sum(p.stat().st_size for p in out.rglob("*")
                      if p.is_file() and p.name not in ("manifest.json", ".lock"))
            assert got == size, (fn.__name__, got, size)
            if r < last:
                shutil.rmtree(out)
    b, o = statistics.median(base_t), statistics.median(ours_t)
    print(f"cold  s3fs fs.get recursive: {size / b / 2**20:7.1f} MiB/s  (median {b:.2f}s, "
          f"best {min(base_t):.2f}s)")
    print(f"cold  FsspecLoader.load():   {size / o / 2**20:7.1f} MiB/s  (median {o:.2f}s, "
          f"best {min(ours_t):.2f}s)")
    print(f"cold transfer throughput ratio (ours / s3fs): {b / o:.2f}x  (goal >= 0.9x)")

    local = work / f"get{last}"
    loader = FsspecLoader(url, cache_dir=cache)
    read_all(local), read_all(Path(loader.load()))  # both in the page cache
    offline = FsspecLoader(url, cache_dir=cache, offline=True)
    assert offline.load() == loader.load()
    local_t, warm_t, off_t = [], [], []
    for _ in range(max(9, args.rounds)):
        local_t.append(timed(lambda: read_all(local)))
        warm_t.append(timed(lambda: read_all(Path(FsspecLoader(url, cache_dir=cache).load()))))
        off_t.append(timed(lambda: read_all(
            Path(FsspecLoader(url, cache_dir=cache, offline=True).load()))))
    lt, wt, ot = (statistics.median(t) for t in (local_t, warm_t, off_t))
    listing = statistics.median(timed(loader.load) for _ in range(5))
    check = statistics.median(timed(offline.load) for _ in range(5))
    print(f"warm  local directory load:  {lt * 1000:7.1f} ms")
    print(f"warm  cached load():         {wt * 1000:7.1f} ms  (of which list+check {listing * 1000:.1f} ms)")
    print(f"warm  offline load():        {ot * 1000:7.1f} ms  (of which check {check * 1000:.1f} ms)")
    print(f"warm-cache load ratio (cached / local): {wt / lt:.2f}x  (goal <= 1.1x)")
    print(f"warm offline load() vs local directory: {ot / lt:.2f}x  (goal <= 1.1x)")


if __name__ == "__main__":
    main()
