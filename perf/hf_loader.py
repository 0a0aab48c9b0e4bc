"""nnbench-hf performance, as ratios measured in one run against a fake Hub on 127.0.0.1.

1. Bytes moved for a dslim/bert-base-NER-like repo (safetensors + pickle/TF/Flax/ONNX/Rust
   decoys): ``resolve("hf:...").load()`` vs a plain ``snapshot_download`` with no patterns, and
   vs one with the ``allow_patterns`` a careful user passes for a PyTorch model (safetensors,
   config, tokenizer files). Goal: only the needed bytes, no more than the careful user.
2. Wall time of a warm-cache ``resolve(spec)`` + ``.value`` (transformers model + tokenizer) vs
   loading the same files from a plain local directory. Goal: <= 1.1x. Measured twice: on the
   tiny test model (~0.5 MB, where the one revision lookup of a branch is a visible share) and
   on a MiniLM-sized one (6 layers x 384 hidden, ~90 MB, closer to a real NER model).

Run: ``python perf/hf_loader.py [--repeats N]`` (needs nnbench-hf, transformers, torch).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=25, help="timed loads per variant")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # before any HF import

    from nnbench_hf.testing import (
        NER_REPO,
        FakeHub,
        add_default_repos,
        build_default_files,
    )

    work = Path(tempfile.mkdtemp(prefix="nnbench-hf-perf-"))
    try:
        files = build_default_files(work / "files")
        with FakeHub() as hub:
            add_default_repos(hub.store, files)
            for name, value in hub.environment(work / "hf-home").items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            bytes_report(hub, NER_REPO, work)
            time_report(hub, NER_REPO, work, args.repeats, "tiny test model")
            hub.add_repo(MINILM_REPO, {"": build_minilm(work / "minilm")})
            time_report(hub, MINILM_REPO, work, max(5, args.repeats // 3), "MiniLM-sized model")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


MINILM_REPO = "nnbench-perf/minilm-ner"


def build_minilm(directory: Path) -> Path:
    """A random 6 x 384 BERT token classifier with the test tokenizer, saved as safetensors."""
    from nnbench.artifacts import resolve
    from nnbench_hf.testing import NER_LABELS, NER_REPO
    from transformers import AutoTokenizer, BertConfig, BertForTokenClassification, set_seed

    set_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(resolve(f"hf:{NER_REPO}").load())
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=384, num_hidden_layers=6,
                        num_attention_heads=12, intermediate_size=1536,
                        id2label=dict(enumerate(NER_LABELS)),
                        label2id={label: i for i, label in enumerate(NER_LABELS)})
    BertForTokenClassification(config).save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    return directory


#: What a careful user passes to ``snapshot_download`` for a PyTorch/transformers model.
CAREFUL_PATTERNS = ["*.safetensors", "*.json", "vocab.txt", "*.model", "merges.txt"]


def bytes_report(hub, repo: str, work: Path) -> None:
    from huggingface_hub import snapshot_download
    from nnbench.artifacts import resolve

    hub.clear_log()
    resolve(f"hf:{repo}").load()
    ours, our_requests = hub.bytes_served(), len(hub.requests)
    hub.clear_log()
    snapshot_download(repo, cache_dir=str(work / "plain-cache"), endpoint=hub.endpoint)
    plain, plain_requests = hub.bytes_served(), len(hub.requests)
    hub.clear_log()
    snapshot_download(repo, cache_dir=str(work / "careful-cache"), endpoint=hub.endpoint,
                      allow_patterns=CAREFUL_PATTERNS)
    careful, careful_requests = hub.bytes_served(), len(hub.requests)
    print("== bytes moved (cold cache) ==")
    print(f"nnbench-hf resolve().load()        {ours:>10,d} B  {our_requests:>3d} requests")
    print(f"snapshot_download (no patterns)    {plain:>10,d} B  {plain_requests:>3d} requests")
    print(f"snapshot_download (allow_patterns) {careful:>10,d} B  {careful_requests:>3d} requests")
    print(f"ratio nnbench-hf / plain            {ours / plain:.3f}  (plain moves {plain / ours:.2f}x the bytes)")
    print(f"ratio nnbench-hf / careful          {ours / careful:.3f}  (goal <= 1.0)")


def time_report(hub, repo: str, work: Path, repeats: int, label: str) -> None:
    import transformers  # imported before timing, by both sides alike

    transformers.utils.logging.disable_progress_bar()
    from nnbench.artifacts import resolve
    from nnbench.types import Artifact

    class NerModel(Artifact):
        def deserialize(self) -> None:
            from transformers import AutoModelForTokenClassification, AutoTokenizer

            self._value = (AutoModelForTokenClassification.from_pretrained(self.path),
                           AutoTokenizer.from_pretrained(self.path))

    def load_local(path: Path):
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        return (AutoModelForTokenClassification.from_pretrained(path), AutoTokenizer.from_pretrained(path))

    snapshot = resolve(f"hf:{repo}").load()  # the cache is warm from here on
    local = work / f"local-{repo.replace('/', '--')}"
    shutil.copytree(snapshot, local, symlinks=False)
    commit = hub.commit(repo)

    variants = {
        "local directory (baseline)": lambda: load_local(local),
        "warm hf:REPO (1 lookup)": lambda: NerModel(resolve(f"hf:{repo}")).value,
        "warm hf:REPO@COMMIT (0 requests)": lambda: NerModel(resolve(f"hf:{repo}@{commit}")).value,
    }
    for fn in variants.values():  # warm-up: imports, file system cache
        fn()
    times: dict[str, list[float]] = {name: [] for name in variants}
    hub.clear_log()
    for _ in range(repeats):  # interleaved, so drift hits every variant alike
        for name, fn in variants.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["local directory (baseline)"])
    best = min(times["local directory (baseline)"])
    print(f"\n== warm-cache load, {label}: model + tokenizer, {repeats} interleaved rounds ==")
    print(f"{'':<34s} {'median':>9s} {'ratio':>6s} {'min':>9s} {'ratio':>6s}")
    for name, values in times.items():
        med, low = statistics.median(values), min(values)
        print(f"{name:<34s} {med * 1000:7.1f}ms {med / base:6.3f} {low * 1000:7.1f}ms {low / best:6.3f}")
    print(f"requests during timed warm loads: {len(hub.requests)} "
          f"({sum(r.kind == 'resolve' for r in hub.requests)} file requests)")


if __name__ == "__main__":
    sys.exit(main())
