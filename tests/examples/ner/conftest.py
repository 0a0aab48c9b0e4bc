"""Fixtures for the NER example: its modules on sys.path, the bundled model and data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "ner"
for directory in (EXAMPLE / "data", EXAMPLE):  # the module names nnbench's collector gives them
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def bundled():
    """The bundled (model, tokenizer), loaded once for the session."""
    from artifacts import TokenClassificationModel

    return TokenClassificationModel(EXAMPLE / "model").value


@pytest.fixture(scope="session")
def validation():
    from conll import read_conll

    return read_conll(EXAMPLE / "data" / "validation.txt")
