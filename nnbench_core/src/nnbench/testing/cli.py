"""Run the ``nnbench`` CLI from a test: in-process (fast) or in a subprocess (realistic)."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path


@dataclasses.dataclass
class CLIResult:
    """What one CLI call did: exit code and captured output."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    def __str__(self) -> str:
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


@contextlib.contextmanager
def _environ(env: Mapping[str, str | None] | None) -> Iterator[None]:
    """Temporarily apply ``env`` (None values unset the variable)."""
    saved = {k: os.environ.get(k) for k in env or {}}
    try:
        for k, v in (env or {}).items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _cwd(path: str | os.PathLike[str] | None) -> Iterator[None]:
    if path is None:
        yield
        return
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


class CLIRunner:
    """Call ``nnbench ARGS``; ``cwd`` and ``env`` apply to every call unless overridden."""

    def __init__(self, cwd: str | os.PathLike[str] | None = None,
                 env: Mapping[str, str | None] | None = None) -> None:
        self.cwd = Path(cwd) if cwd is not None else None
        self.env = dict(env or {})

    def __call__(self, *args: str, **kwargs: object) -> CLIResult:
        return self.run(*args, **kwargs)  # type: ignore[arg-type]

    def run(self, *args: str, env: Mapping[str, str | None] | None = None,
            cwd: str | os.PathLike[str] | None = None) -> CLIResult:
        """In-process ``nnbench.cli.main(args)``; the process-wide state it touches is restored."""
        from nnbench import cli
        from nnbench.plugins import set_plugin_manager

        out, err = io.StringIO(), io.StringIO()
        old_manager = set_plugin_manager(None)
        showwarning = warnings.showwarning
        try:
            with _environ({**self.env, **(env or {})}), _cwd(cwd or self.cwd), \
                    contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                    warnings.catch_warnings():
                warnings.simplefilter("default")
                try:
                    code = cli.main([str(a) for a in args])
                except SystemExit as exc:  # argparse errors and --help
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        finally:
            warnings.showwarning = showwarning
            set_plugin_manager(old_manager)
        return CLIResult(int(code), out.getvalue(), err.getvalue())

    def subprocess(self, *args: str, env: Mapping[str, str | None] | None = None,
                   cwd: str | os.PathLike[str] | None = None, timeout: float = 120) -> CLIResult:
        """``python -m nnbench ARGS`` in a fresh interpreter (entry points discovered anew)."""
        full = dict(os.environ)
        for k, v in {**self.env, **(env or {})}.items():
            if v is None:
                full.pop(k, None)
            else:
                full[k] = v
        proc = subprocess.run([sys.executable, "-m", "nnbench", *map(str, args)],
                              cwd=cwd or self.cwd, env=full, capture_output=True, text=True,
                              timeout=timeout)
        return CLIResult(proc.returncode, proc.stdout, proc.stderr)
