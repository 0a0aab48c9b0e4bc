"""A context provider function, as in upstream's docs/cli/pyproject.md."""

import os


def foo() -> dict[str, str]:
    """Returns a context value named 'foo', containing the value of the FOO environment variable."""
    return {"foo": os.getenv("FOO", "")}
