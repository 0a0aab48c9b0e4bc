"""Choose which repository files an artifact needs, from the repository's file list alone.

Model repos (default): the safetensors weights (a sharded index and its shards, or single
files), config, tokenizer and processor files at the top of the artifact's folder; never the
other weight formats when safetensors exist. Pickle weights are only chosen with
``allow_pickle``. Dataset repos: the data files (parquet, CSV, JSON), filtered by ``config``
and ``split``. ``include`` patterns replace the default choice, ``exclude`` patterns remove.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")
# Training state saved next to weights by Trainer: pickles that never hold the model.
TRAINING_STATE = re.compile(r"^(training_args\.bin|optimizer\.pt|scheduler\.pt|scaler\.pt|rng_state.*\.pth)$")
OTHER_WEIGHTS = (".h5", ".msgpack", ".onnx", ".onnx_data", ".ot", ".tflite", ".gguf", ".mlmodel", ".keras")
CONFIG_SUFFIXES = (".json", ".txt", ".model", ".tiktoken", ".jinja", ".py")
DATA_SUFFIXES = (".parquet", ".csv", ".tsv", ".json", ".jsonl", ".arrow")
_SHARD = re.compile(r"^(?P<stem>.+)-\d+-of-\d+\.(?P<ext>safetensors|bin)$")


class SelectionError(ValueError):
    """Nothing usable to download, or only unsafe files; the message says what to do."""


def select(
    files: Iterable[str],
    *,
    repo_type: str = "model",
    path: str = "",
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    allow_pickle: bool = False,
    split: str | None = None,
    config: str | None = None,
) -> list[str]:
    """Return the sorted repo-relative paths to fetch; raise ``SelectionError`` if none fit.

    ``path`` names a file (selected alone) or a folder (selection applies inside it).
    """
    all_files = sorted(set(files))
    path = path.strip("/")
    if path and path in all_files:
        chosen = [path]
    else:
        prefix = f"{path}/" if path else ""
        local = [f[len(prefix):] for f in all_files if f.startswith(prefix)]
        if not local:
            raise SelectionError(f"no file or folder {path!r} in the repository")
        if include:
            chosen = [f for f in local if _matches(f, include)]
        elif repo_type == "dataset":
            chosen = _dataset_files(local, split=split, config=config)
        else:
            chosen = _model_files(local, allow_pickle=allow_pickle)
        chosen = [prefix + f for f in chosen]
    chosen = [f for f in chosen if not _matches(f, exclude)]
    if not chosen:
        raise SelectionError("no repository file matches the selection; check include/exclude, split or path")
    pickles = [f for f in chosen if is_pickle(f)]
    if pickles and not allow_pickle:
        raise SelectionError(
            f"refusing pickle file(s) {', '.join(pickles[:3])}: unpickling can run arbitrary code; "
            "pass allow_pickle=true if you trust this repository, or exclude them"
        )
    return chosen


def is_pickle(path: str) -> bool:
    """True for files in a pickle-based format (loading them may execute code)."""
    return path.lower().endswith(PICKLE_SUFFIXES)


def _matches(path: str, patterns: Sequence[str]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(path, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def _model_files(files: list[str], *, allow_pickle: bool) -> list[str]:
    top = [f for f in files if "/" not in f]
    safetensors = _weights(top, "safetensors")
    if safetensors:
        weights = safetensors
    else:
        pickles = [f for f in top if is_pickle(f) and not TRAINING_STATE.match(f)]
        if pickles and not allow_pickle:
            raise SelectionError(
                f"the repository's only weights are pickle files ({', '.join(pickles[:3])}): "
                "unpickling can run arbitrary code; pass allow_pickle=true if you trust it"
            )
        weights = _weights(top, "bin") if pickles else []
        weights = weights or pickles
        if not weights:  # no safetensors, no pickles: keep whatever formats there are
            weights = [f for f in top if f.lower().endswith(OTHER_WEIGHTS)]
    extras = [
        f for f in top
        if f.lower().endswith(CONFIG_SUFFIXES) and not _is_foreign_index(f, weights)
    ]
    return sorted(set(weights) | set(extras))


def _weights(top: list[str], ext: str) -> list[str]:
    """Weight files with extension ``ext``: a sharded index with its shards, or single files."""
    indexes = [f for f in top if f.endswith(f".{ext}.index.json")]
    if indexes:
        stems = {f[: -len(f".{ext}.index.json")] for f in indexes}
        shards = [f for f in top if (m := _SHARD.match(f)) and m["ext"] == ext and m["stem"] in stems]
        if shards:
            return indexes + shards
    return [f for f in top if f.endswith(f".{ext}") and not TRAINING_STATE.match(f)]


def _is_foreign_index(name: str, weights: list[str]) -> bool:
    """An index of weights we do not fetch (e.g. ``pytorch_model.bin.index.json``)."""
    return name.endswith(".index.json") and name not in weights


def _dataset_files(files: list[str], *, split: str | None, config: str | None) -> list[str]:
    data = [f for f in files if is_data_file(f)]
    if config:
        data = [f for f in data if f.split("/", 1)[0] == config]
    if split:
        data = [f for f in data if in_split(f, split)]
    return data


_METADATA_FILES = {"dataset_infos.json", "dataset_info.json", "dataset_dict.json", "state.json"}


def is_data_file(path: str) -> bool:
    """True for a dataset's data file (``DATA_SUFFIXES``), not its metadata or hidden files."""
    name = path.rsplit("/", 1)[-1]
    if name in _METADATA_FILES or name.startswith("."):
        return False
    return name.lower().endswith(DATA_SUFFIXES)


def in_split(path: str, split: str) -> bool:
    """True when ``path`` belongs to ``split`` (a folder named so, or a file stem ``[X-]SPLIT``)."""
    parts = path.split("/")
    if split in parts[:-1]:
        return True
    stem = re.sub(r"-\d+-of-\d+$", "", parts[-1].split(".", 1)[0])
    return stem == split or stem.endswith(f"-{split}")


def split_of(path: str) -> str | None:
    """The split a data file belongs to, by the Hub's naming conventions, or None.

    ``cfg/train/0000.parquet``, ``data/train-00000-of-00001.parquet``, ``train.csv``,
    ``cfg/dataset-train.parquet`` all give ``train``.
    """
    parts = path.split("/")
    name = parts[-1].split(".", 1)[0]
    for folder in reversed(parts[:-1]):
        if folder in _KNOWN_SPLITS:
            return folder
    stem = re.sub(r"-\d+-of-\d+$", "", name)
    for piece in (stem, stem.rsplit("-", 1)[-1], stem.split("-", 1)[0]):
        if piece in _KNOWN_SPLITS:
            return piece
    if len(parts) >= 3:  # refs/convert/parquet layout: CONFIG/SPLIT/NNNN.parquet
        return parts[-2]
    return None


_KNOWN_SPLITS = {"train", "validation", "valid", "dev", "test", "eval", "evaluation", "all"}
