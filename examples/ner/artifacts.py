"""Artifacts of the NER example: a token classifier and a CoNLL-family dataset."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from conll import LABELS, read_conll
from nnbench.types import Artifact, ArtifactLoader

DATA_SUFFIXES = (".parquet", ".txt", ".conll", ".iob2")


class TokenClassificationModel(Artifact[tuple[Any, Any]]):
    """A (model, fast tokenizer) pair loaded from safetensors; no remote code is run."""

    def deserialize(self) -> None:
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar in benchmark output
        directory = self.path if self.path.is_dir() else self.path.parent
        model = AutoModelForTokenClassification.from_pretrained(
            directory, use_safetensors=True, trust_remote_code=False
        )
        tokenizer = AutoTokenizer.from_pretrained(directory, trust_remote_code=False)
        if not tokenizer.is_fast:
            raise ValueError(f"{directory} has no fast tokenizer (tokenizer.json); word alignment needs one")
        self._value = (model.eval(), tokenizer)

    def weights_size(self) -> int:
        """Bytes on disk of the safetensors weight files."""
        directory = self.path if self.path.is_dir() else self.path.parent
        return sum(f.stat().st_size for f in directory.glob("*.safetensors"))


@dataclass
class NERData:
    """Sentences as words with gold tags; `label_names` is the declared label set, if any."""

    words: list[list[str]]
    tags: list[list[str]]
    label_names: tuple[str, ...] | None = None


class CoNLLDataset(Artifact[NERData]):
    """CoNLL-2003 column files, parquet (conllpp's Hub conversion) or a `datasets` directory.

    A directory holds one file per split; `split` (default "test") picks it, given as an
    argument or as `?split=NAME` at the end of the spec.
    """

    def __init__(self, loader: ArtifactLoader | str | os.PathLike[str], split: str | None = None, **kwargs):
        if isinstance(loader, str) and "?" in loader:
            loader, query_split = _pop_split(loader)
            split = split or query_split
        super().__init__(loader, **kwargs)
        self.split = split or "test"

    def deserialize(self) -> None:
        path = self.path
        if (path / "dataset_dict.json").exists() or (path / "state.json").exists():
            self._value = _from_datasets(path, self.split)
            return
        file = split_file(path, self.split) if path.is_dir() else path
        if file.suffix == ".parquet":
            self._value = _from_parquet(file)
        else:
            sentences = read_conll(file)
            self._value = NERData([w for w, _ in sentences], [t for _, t in sentences])


def _pop_split(spec: str) -> tuple[str, str | None]:
    """Remove `split=` from a spec's query; return (spec, split)."""
    base, _, query = spec.partition("?")
    options = dict(parse_qsl(query, keep_blank_values=True))
    split = options.pop("split", None)
    return (f"{base}?{urlencode(options)}" if options else base), split


def split_file(directory: Path, split: str) -> Path:
    """The one data file of `split` below `directory`: named after it or inside a folder of it."""
    candidates = sorted(
        f
        for f in directory.rglob("*")
        if f.suffix in DATA_SUFFIXES
        and (f.stem.startswith(split) or split in f.relative_to(directory).parts[:-1])
    )
    if len(candidates) != 1:
        found = ", ".join(str(c.relative_to(directory)) for c in candidates) or "none"
        raise FileNotFoundError(
            f"expected one {split!r} data file ({'/'.join(DATA_SUFFIXES)}) in {directory}, "
            f"found: {found}; choose the split with ?split=NAME or point at the file"
        )
    return candidates[0]


def _from_parquet(file: Path) -> NERData:
    """Read `tokens` and `ner_tags` columns; integer tags are named by the ClassLabel metadata."""
    import pyarrow.parquet as pq

    table = pq.read_table(file, columns=["tokens", "ner_tags"])
    names = _class_label_names(table.schema.metadata or {})
    words = table.column("tokens").to_pylist()
    raw = table.column("ner_tags").to_pylist()
    if raw and raw[0] and isinstance(raw[0][0], str):
        return NERData(words, raw)
    names = names or LABELS
    return NERData(words, [[names[i] for i in row] for row in raw], tuple(names))


def _class_label_names(metadata: dict[bytes, bytes]) -> tuple[str, ...] | None:
    """ClassLabel names of `ner_tags` from the schema metadata the Hub's conversion writes."""
    try:
        info = json.loads(metadata[b"huggingface"])
        return tuple(info["info"]["features"]["ner_tags"]["feature"]["names"])
    except (KeyError, TypeError, ValueError):
        return None


def _from_datasets(path: Path, split: str) -> NERData:
    """A directory written by `datasets.save_to_disk` (a Dataset or a DatasetDict)."""
    import datasets

    loaded = datasets.load_from_disk(str(path))
    table = loaded[split] if isinstance(loaded, datasets.DatasetDict) else loaded
    feature = table.features["ner_tags"].feature
    names = tuple(feature.names) if hasattr(feature, "names") else None
    tags = table["ner_tags"]
    if names:
        tags = [[names[i] for i in row] for row in tags]
    return NERData(list(table["tokens"]), list(tags), names)
