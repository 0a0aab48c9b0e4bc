"""Build the fake Hub's default repositories on disk (tiny real models, small datasets).

``transformers``, ``tokenizers``, ``torch`` and ``pyarrow`` are test dependencies: they are
imported inside the functions that need them, never by the loader.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from nnbench_hf.testing.store import RepoStore

NER_REPO = "dslim/bert-base-NER"
PICKLE_REPO = "nnbench-test/pickle-only-bert"
GATED_REPO = "nnbench-test/gated-bert"
SHARDED_REPO = "nnbench-test/sharded-bert"
DATASET_REPO = "ZihanWangKi/conllpp"
CSV_DATASET_REPO = "nnbench-test/csv-json-dataset"
PARQUET_REVISION = "refs/convert/parquet"

#: A benchmark file counting the files of its ``--loader`` model folder: for CLI tests that
#: need a Hub download and nothing else.
FILES_BENCH = """
import nnbench
from nnbench import Artifact


class Model(Artifact[int]):
    def deserialize(self):
        self._value = len(list(self.path.iterdir()))


@nnbench.benchmark
def files(model: Model) -> int:
    return model.value
"""

NER_LABELS = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
_WORDS = (
    "the a of in to and is was for on at by with from he she it they we said "
    "EU German British Germany Britain London Paris Berlin Peter John Mary Smith Blackburn "
    "call boycott lamb rejects to ##s ##ed ##ing ##er . , ' \" - ( ) : 1 2 3"
).split()
SENTENCES = [
    (["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
     [5, 0, 1, 0, 0, 0, 1, 0, 0]),
    (["Peter", "Blackburn"], [3, 4]),
    (["John", "Smith", "said", "in", "London", "."], [3, 4, 0, 0, 7, 0]),
    (["Mary", "was", "in", "Paris", "and", "Berlin", "."], [3, 0, 0, 7, 0, 7, 0]),
]


def build_tiny_bert_ner(out: str | os.PathLike[str], *, seed: int = 0) -> Path:
    """Save a tiny BERT token classifier (2 layers, hidden 32) and its WordPiece tokenizer.

    Writes ``config.json``, ``model.safetensors``, ``tokenizer.json``,
    ``tokenizer_config.json``, ``special_tokens_map.json`` and ``vocab.txt``.
    """
    import torch
    from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordPiece
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    vocab = {tok: i for i, tok in enumerate(dict.fromkeys(_SPECIALS + _WORDS))}
    tok = Tokenizer(WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tok.decoder = decoders.WordPiece()
    tokenizer = BertTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]",
        cls_token="[CLS]", mask_token="[MASK]", do_lower_case=False, model_max_length=64,
    )
    tokenizer.save_pretrained(out)
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    specials = {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                "cls_token": "[CLS]", "mask_token": "[MASK]"}
    (out / "special_tokens_map.json").write_text(json.dumps(specials, indent=2), encoding="utf-8")

    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=37, max_position_embeddings=64, type_vocab_size=2,
        num_labels=len(NER_LABELS), id2label=dict(enumerate(NER_LABELS)),
        label2id={label: i for i, label in enumerate(NER_LABELS)},
    )
    model = BertForTokenClassification(config)
    model.save_pretrained(out, safe_serialization=True)
    return out


def build_pickle_weights(model_dir: str | os.PathLike[str], out_file: str | os.PathLike[str]) -> Path:
    """Write ``pytorch_model.bin`` (a torch pickle) holding the safetensors weights' state dict."""
    import torch
    from safetensors.torch import load_file

    state = load_file(str(Path(model_dir) / "model.safetensors"))
    torch.save(state, str(out_file))
    return Path(out_file)


def build_parquet_splits(out: str | os.PathLike[str], config: str = "conllpp") -> Path:
    """Write ``CONFIG/{train,validation,test}/0000.parquet`` with ``tokens`` and ``ner_tags``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out)
    for i, split in enumerate(("train", "validation", "test")):
        rows = SENTENCES[i:] + SENTENCES[:i]
        table = pa.table({
            "id": [str(n) for n in range(len(rows))],
            "tokens": [r[0] for r in rows],
            "ner_tags": [r[1] for r in rows],
        })
        (out / config / split).mkdir(parents=True, exist_ok=True)
        pq.write_table(table, out / config / split / "0000.parquet")
    return out


def build_default_files(root: str | os.PathLike[str]) -> dict[str, Path]:
    """Build every default repo's files under ``root`` (idempotent); return named folders."""
    root = Path(root)
    model = root / "tiny-bert-ner"
    if not (model / "model.safetensors").exists():
        build_tiny_bert_ner(model)
    decoys = root / "decoys"
    if not (decoys / "pytorch_model.bin").exists():
        decoys.mkdir(parents=True, exist_ok=True)
        build_pickle_weights(model, decoys / "pytorch_model.bin")
        size = (model / "model.safetensors").stat().st_size
        for name in ("tf_model.h5", "flax_model.msgpack", "model.onnx", "rust_model.ot"):
            (decoys / name).write_bytes(_noise(name, size))
    parquet = root / "conllpp-parquet"
    if not (parquet / "conllpp" / "test" / "0000.parquet").exists():
        build_parquet_splits(parquet)
    return {"model": model, "decoys": decoys, "parquet": parquet}


def add_default_repos(store: RepoStore, files: dict[str, Path]) -> None:
    """Register the default repos in ``store`` from ``build_default_files``' output."""
    model, decoys, parquet = files["model"], files["decoys"], files["parquet"]
    readme = b"---\nlicense: mit\n---\n# tiny NER model for tests\n"
    store.add(NER_REPO, {
        "": model,
        "pytorch_model.bin": decoys / "pytorch_model.bin",
        "tf_model.h5": decoys / "tf_model.h5",
        "flax_model.msgpack": decoys / "flax_model.msgpack",
        "rust_model.ot": decoys / "rust_model.ot",
        "onnx/model.onnx": decoys / "model.onnx",
        "onnx/config.json": model / "config.json",
        "README.md": readme,
        ".gitattributes": b"*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
    })
    weights_free = {p.name: p for p in model.iterdir() if p.name != "model.safetensors"}
    store.add(PICKLE_REPO, {**weights_free, "pytorch_model.bin": decoys / "pytorch_model.bin",
                            "training_args.bin": b"\x80\x04N."})
    store.add(GATED_REPO, {"": model}, gated=True)
    store.add(SHARDED_REPO, _sharded(model))
    store.add(DATASET_REPO, {
        "README.md": b"# CoNLL++ (test copy)\n",
        "conllpp.py": b"# dataset script: no longer loadable by `datasets`\n",
    }, repo_type="dataset")
    store.add(DATASET_REPO, {"": parquet}, repo_type="dataset", revision=PARQUET_REVISION)
    csv = "tokens,ner_tags\n" + "".join(f"\"{' '.join(t)}\",\"{' '.join(map(str, n))}\"\n" for t, n in SENTENCES)
    jsonl = "".join(json.dumps({"tokens": t, "ner_tags": n}) + "\n" for t, n in SENTENCES)
    store.add(CSV_DATASET_REPO, {
        "README.md": b"# csv/json test dataset\n",
        "data/train.csv": csv.encode(),
        "data/test.jsonl": jsonl.encode(),
    }, repo_type="dataset")


def _sharded(model: Path) -> dict[str, bytes | Path]:
    """The tiny model split into two safetensors shards with an index (plus a decoy bin index)."""
    from safetensors.torch import load_file, save_file

    state = load_file(str(model / "model.safetensors"))
    names = sorted(state)
    halves = [names[: len(names) // 2], names[len(names) // 2:]]
    files: dict[str, bytes | Path] = {p.name: p for p in model.iterdir() if p.name != "model.safetensors"}
    weight_map = {}
    shard_dir = model.parent / "shards"
    shard_dir.mkdir(exist_ok=True)
    for i, part in enumerate(halves, 1):
        shard = f"model-{i:05d}-of-00002.safetensors"
        save_file({k: state[k].contiguous() for k in part}, str(shard_dir / shard), metadata={"format": "pt"})
        files[shard] = shard_dir / shard
        weight_map.update({k: shard for k in part})
    index = {"metadata": {"total_size": sum(t.numel() * t.element_size() for t in state.values())},
             "weight_map": weight_map}
    files["model.safetensors.index.json"] = json.dumps(index, indent=2).encode()
    files["pytorch_model.bin.index.json"] = json.dumps({"weight_map": {}}).encode()
    return files


def _noise(name: str, size: int) -> bytes:
    """Deterministic filler bytes standing in for another weight format."""
    import hashlib

    block = hashlib.sha256(name.encode()).digest()
    return (block * (size // len(block) + 1))[:size]
