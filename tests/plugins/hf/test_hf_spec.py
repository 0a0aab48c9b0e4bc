"""The hf: spec grammar: repo types, revisions (incl. refs/pr/N, encoded), paths, options."""

from __future__ import annotations

import pytest
from nnbench_hf.spec import HfSpec, SpecError, parse

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("rest", "repo_type", "repo_id", "revision", "path"),
    [
        ("dslim/bert-base-NER", "model", "dslim/bert-base-NER", None, ""),
        ("dslim/bert-base-NER@main", "model", "dslim/bert-base-NER", "main", ""),
        ("dslim/bert-base-NER@v1.0/onnx/model.onnx", "model", "dslim/bert-base-NER", "v1.0", "onnx/model.onnx"),
        ("dslim/bert-base-NER/config.json", "model", "dslim/bert-base-NER", None, "config.json"),
        (f"dslim/bert-base-NER@{SHA}", "model", "dslim/bert-base-NER", SHA, ""),
        ("dslim/bert-base-NER@refs/pr/3", "model", "dslim/bert-base-NER", "refs/pr/3", ""),
        ("dslim/bert-base-NER@refs/pr/3/config.json", "model", "dslim/bert-base-NER", "refs/pr/3", "config.json"),
        ("dslim/bert-base-NER@refs%2Fpr%2F3/config.json", "model", "dslim/bert-base-NER", "refs/pr/3", "config.json"),
        ("datasets/ZihanWangKi/conllpp@refs/convert/parquet", "dataset", "ZihanWangKi/conllpp", "refs/convert/parquet", ""),
        ("datasets/ZihanWangKi/conllpp@refs%2Fconvert%2Fparquet/conllpp/test", "dataset", "ZihanWangKi/conllpp", "refs/convert/parquet", "conllpp/test"),
        ("models/org/name", "model", "org/name", None, ""),
        ("spaces/org/app@main", "space", "org/app", "main", ""),
        ("gpt2", "model", "gpt2", None, ""),
        ("gpt2@main/config.json", "model", "gpt2", "main", "config.json"),
        ("/org/name", "model", "org/name", None, ""),
        ("org/name@feature%2Fx", "model", "org/name", "feature/x", ""),
    ],
)
def test_grammar(rest, repo_type, repo_id, revision, path):
    spec = parse(rest)
    assert (spec.repo_type, spec.repo_id, spec.revision, spec.path) == (repo_type, repo_id, revision, path)


def test_commit_detection():
    assert parse(f"a/b@{SHA}").is_commit
    assert not parse("a/b@main").is_commit
    assert not parse("a/b").is_commit
    assert parse("a/b").revision_or_default == "main"


def test_options_from_query_and_kwargs():
    spec = parse("a/b", {"include": "*.json,*.txt", "allow_pickle": "true", "split": "test"},
                 exclude=["vocab.txt"], token="hf_secret", cache_dir="/tmp/c")
    assert spec.include == ("*.json", "*.txt")
    assert spec.exclude == ("vocab.txt",)
    assert spec.allow_pickle is True
    assert spec.split == "test"
    assert spec.cache_dir == "/tmp/c"
    assert spec.token == "hf_secret"
    assert "hf_secret" not in repr(spec)


def test_kwargs_override_query():
    spec = parse("a/b@main", {"revision": "v1", "allow_pickle": "false"}, allow_pickle=True)
    assert spec.revision == "v1"
    assert spec.allow_pickle is True


def test_repo_type_option():
    assert parse("org/data", {"repo_type": "dataset"}).repo_type == "dataset"
    assert parse("org/data", repo_type="datasets").repo_type == "dataset"


@pytest.mark.parametrize(
    ("rest", "options", "match"),
    [
        ("", {}, "empty"),
        ("a/b@", {}, "empty revision"),
        ("a/b", {"colour": "red"}, "unknown hf: option"),
        ("a/b", {"allow_pickle": "maybe"}, "not a boolean"),
        ("a/b", {"repo_type": "bucket"}, "invalid repo_type"),
        ("a b/c", {}, "invalid Hub repository id"),
    ],
)
def test_bad_specs(rest, options, match):
    with pytest.raises(SpecError, match=match):
        parse(rest, options)


def test_display_names_type_and_revision():
    assert HfSpec("o/n", "dataset", "refs/convert/parquet", "x").display() == (
        "hf:datasets/o/n@refs/convert/parquet/x"
    )
    assert HfSpec("o/n").display() == "hf:o/n@main"
