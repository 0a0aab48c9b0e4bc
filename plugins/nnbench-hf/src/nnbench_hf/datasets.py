"""Find a fetched Hub dataset's data files, grouped by split, to open with ``datasets`` or pyarrow.

    path = nnbench.resolve("hf:datasets/ZihanWangKi/conllpp@refs/convert/parquet?split=test").load()
    files = data_files(path)                     # {"test": [".../conllpp/test/0000.parquet"]}
    ds = datasets.load_dataset("parquet", data_files=files)
"""

from __future__ import annotations

import os
from pathlib import Path

from nnbench_hf.selection import is_data_file, split_of

BUILDERS = {".parquet": "parquet", ".csv": "csv", ".tsv": "csv", ".json": "json", ".jsonl": "json",
            ".arrow": "arrow"}


def data_files(path: str | os.PathLike[str], split: str | None = None) -> dict[str, list[str]]:
    """``{split: [file, ...]}`` for the data files under ``path`` (``"train"`` when unknown)."""
    root = Path(path)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    out: dict[str, list[str]] = {}
    for p in files:
        rel = p.name if p == root else p.relative_to(root).as_posix()
        if ".cache" in Path(rel).parts or not is_data_file(rel):
            continue
        name = split_of(rel) or "train"
        if split is None or name == split:
            out.setdefault(name, []).append(str(p))
    return out


def builder_name(files: dict[str, list[str]]) -> str:
    """The ``datasets`` builder for these files (``parquet``, ``csv``, ``json``, ``arrow``)."""
    suffixes = {Path(f).suffix.lower() for group in files.values() for f in group}
    names = {BUILDERS[s] for s in suffixes if s in BUILDERS}
    if len(names) != 1:
        raise ValueError(f"expected data files of one format, found {sorted(suffixes) or 'none'}")
    return names.pop()
