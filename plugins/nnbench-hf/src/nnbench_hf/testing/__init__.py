"""A fake Hugging Face Hub for tests: a real HTTP server on 127.0.0.1 speaking the Hub API.

Installing nnbench-hf registers its pytest fixtures (``nnbench_hf.testing.fixtures``, entry
point ``pytest11``), so any test may ask for them; ``-p no:nnbench_hf`` turns them off:

* ``fake_hub`` — a running ``FakeHub`` with the default repos (see ``builders``), request log
  cleared, faults cleared, and the environment pointed at it: ``HF_ENDPOINT`` = its URL,
  ``HF_HOME`` = a fresh folder per test (``fake_hub.hf_home``; cache ``fake_hub.cache_dir``),
  no ``HF_TOKEN``/``HF_HUB_CACHE``/``HF_HUB_OFFLINE``. Repos a test adds vanish after it.
* ``fake_hub_server`` — the session's server without the per-test environment.
* ``fake_hub_files`` — folders with the default repos' files (tiny BERT NER model, decoys,
  CoNLL++-like parquet splits), built once per session (needs ``nnbench-hf[test]``).

``FakeHub`` and the builders import no pytest, so scripts (``perf/``) can use them directly.
Names are imported on first use: importing this package costs nothing.
"""

from __future__ import annotations

from nnbench.lazy import lazy_exports

_EXPORTS = {
    "CSV_DATASET_REPO": "builders",
    "DATASET_REPO": "builders",
    "FILES_BENCH": "builders",
    "GATED_REPO": "builders",
    "NER_LABELS": "builders",
    "NER_REPO": "builders",
    "PARQUET_REVISION": "builders",
    "PICKLE_REPO": "builders",
    "SENTENCES": "builders",
    "SHARDED_REPO": "builders",
    "add_default_repos": "builders",
    "build_default_files": "builders",
    "build_tiny_bert_ner": "builders",
    "DEFAULT_TOKEN": "server",
    "HF_VARIABLES": "server",
    "FakeHub": "server",
    "RequestRecord": "server",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
