"""File reporters by extension (.json .ndjson .csv .yaml .parquet, optionally .gz).

Local files are written atomically: a temporary file in the same directory, then a rename,
so a reader never sees half a file. A destination with a protocol (``s3://...``) is written
through fsspec.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nnbench.errors import ReporterError
from nnbench.files import write_bytes_atomic
from nnbench.redact import clip
from nnbench.types import BenchmarkRecord

_ROW_JSON_FIELDS = ("value", "parameters", "tags", "context", "timing", "memory", "samples")
_OPTIONAL_FIELDS = ("timing", "memory", "samples", "better")  # absent unless measured/given
_RECORD_FIELDS = ("run", "run_id", "timestamp")


def _is_remote(destination: str) -> bool:
    return "://" in destination and not destination.startswith("file://")


def _local_path(destination: str) -> Path:
    return Path(destination[len("file://"):] if destination.startswith("file://") else destination)


def _shown(destination: str) -> str:
    from nnbench.redact import redact_url

    return clip(redact_url(destination))


def check_writable(destination: str, shown: str | None = None) -> None:
    """Fail early (before a run) when a local destination cannot be written.

    Creates and removes a temporary file in the destination's folder: ``os.access`` says yes
    to root on a read-only mount, ``/proc`` or NFS with root_squash, where writing then fails.
    A missing folder is an error (nothing is created): create it first. ``shown`` is how the
    destination was given (a ``sqlite:///`` URI), for the message.
    """
    if _is_remote(destination):
        return
    path = _local_path(destination).expanduser()
    parent = path.resolve().parent
    shown = _shown(shown or destination)
    if not parent.is_dir():
        where = ""
        if shown.lower().startswith("sqlite:///") and not path.is_absolute():
            where = " (sqlite:///PATH is relative to the current directory, sqlite:////PATH absolute)"
        raise ReporterError(f"cannot write {shown}: directory {clip(str(parent))}{where} does "
                            "not exist; create it first or choose another path")
    if path.is_dir():
        raise ReporterError(f"cannot write {shown}: it is a directory; give a file name")
    try:
        fd, probe = tempfile.mkstemp(prefix=".nnbench-probe.", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ReporterError(f"cannot write {shown}: {clip(str(parent))} refuses new files "
                            f"({exc.strerror or type(exc).__name__}); choose another "
                            "path") from None


def write_bytes(destination: str, data: bytes) -> None:
    """Write ``data`` to ``destination`` in one piece (``nnbench.files`` for local files)."""
    if destination.lower().endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    if _is_remote(destination):
        try:
            import fsspec

            with fsspec.open(destination, "wb") as fh:
                fh.write(data)
        except Exception as exc:
            from nnbench.redact import redact_text, redact_url, secrets_in

            detail = redact_text(" ".join(str(exc).split()), secrets_in(destination))
            raise ReporterError(f"cannot write {redact_url(destination)}: "
                                f"{clip(detail, 300)}") from None
        return
    path = _local_path(destination).expanduser()
    check_writable(str(path))
    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise ReporterError(f"cannot write {path}: {exc.strerror or exc}") from exc


def read_bytes(source: str) -> bytes:
    try:
        if _is_remote(source):
            import fsspec

            with fsspec.open(source, "rb") as fh:
                data = fh.read()
        else:
            data = _local_path(source).expanduser().read_bytes()
    except FileNotFoundError as exc:
        raise ReporterError(f"cannot read {_shown(source)}: no such file") from exc
    except OSError as exc:
        from nnbench.redact import redact_text, secrets_in

        detail = redact_text(str(exc.strerror or exc), secrets_in(source))
        raise ReporterError(f"cannot read {_shown(source)}: {detail}") from None
    return gzip.decompress(data) if source.lower().endswith(".gz") else data


def to_rows(records: Iterable[BenchmarkRecord]) -> list[dict[str, Any]]:
    """One flat row per benchmark result, with its run's fields and context."""
    rows = []
    for rec in records:
        for bm in rec.benchmarks:
            rows.append({"run": rec.run, "run_id": rec.run_id, "timestamp": rec.timestamp,
                         **bm, "context": rec.context})
    return rows


def from_rows(rows: Iterable[dict[str, Any]]) -> list[BenchmarkRecord]:
    """Group rows back into records by run id, keeping first-seen order."""
    records: dict[str, BenchmarkRecord] = {}
    for row in rows:
        row = dict(row)
        key = row.get("run_id") or row.get("run") or ""
        rec = records.get(key)
        if rec is None:
            rec = records[key] = BenchmarkRecord(
                run=row.get("run") or "", context=row.get("context") or {}, benchmarks=[],
                run_id=row.get("run_id") or "", timestamp=float(row.get("timestamp") or 0.0),
            )
        for field in (*_RECORD_FIELDS, "context"):
            row.pop(field, None)
        for field in _OPTIONAL_FIELDS:  # a column of a table holds None where there is none
            if row.get(field) is None:
                row.pop(field, None)
        rec.benchmarks.append(row)
    return list(records.values())


_PLACE = re.compile(r'"\\u0000samples(\d+)"')


def dumps_indented(payload: Any) -> str:
    """``json.dumps(payload, indent=2)`` with each result's ``samples`` on one line: they hold
    thousands of numbers, one line each would make the file four times larger."""
    parts: list[str] = []

    def swap(doc: Any) -> Any:
        if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list):
            return doc
        benchmarks = []
        for bm in doc["benchmarks"]:
            if isinstance(bm, dict) and "samples" in bm:
                parts.append(json.dumps(bm["samples"], separators=(",", ":")))
                bm = {**bm, "samples": f"\x00samples{len(parts) - 1}"}
            benchmarks.append(bm)
        return {**doc, "benchmarks": benchmarks}

    docs = [swap(d) for d in payload] if isinstance(payload, list) else swap(payload)
    text = json.dumps(docs, indent=2)
    return _PLACE.sub(lambda m: parts[int(m[1])], text) if parts else text


class JSONReporter:
    """A single record as one JSON object; several as a list."""

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        docs = [r.to_dict() for r in records]
        payload = docs[0] if len(docs) == 1 else docs
        write_bytes(destination, dumps_indented(payload).encode())

    def read(self, source: str) -> list[BenchmarkRecord]:
        try:
            doc = json.loads(read_bytes(source))
        except json.JSONDecodeError as exc:
            raise ReporterError(f"{source} is not valid JSON: {exc}") from exc
        docs = doc if isinstance(doc, list) else [doc]
        return [BenchmarkRecord.from_dict(d) for d in docs]


class NDJSONReporter:
    """One JSON object per benchmark result (with run fields), one per line."""

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        lines = [json.dumps(row) for row in to_rows(records)]
        write_bytes(destination, ("\n".join(lines) + "\n").encode())

    def read(self, source: str) -> list[BenchmarkRecord]:
        text = read_bytes(source).decode()
        return from_rows(json.loads(line) for line in text.splitlines() if line.strip())


class YAMLReporter(JSONReporter):
    """The JSON document's structure, as YAML."""

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        import yaml

        docs = [r.to_dict() for r in records]
        payload = docs[0] if len(docs) == 1 else docs
        write_bytes(destination, yaml.safe_dump(payload, sort_keys=False).encode())

    def read(self, source: str) -> list[BenchmarkRecord]:
        import yaml

        doc = yaml.safe_load(read_bytes(source))
        docs = doc if isinstance(doc, list) else [doc]
        return [BenchmarkRecord.from_dict(d) for d in docs]


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (json.dumps(v) if k in _ROW_JSON_FIELDS else v) for k, v in row.items()}


def _unflatten(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k in _ROW_JSON_FIELDS and isinstance(v, str):
            v = json.loads(v) if v else None
        out[k] = v
    return out


_CSV_COLUMNS = ("run", "run_id", "timestamp", "name", "function", "description", "value",
                "unit", "parameters", "tags", "time_ns", "error_occurred", "error_type",
                "error_message", "traceback", "timing", "context")


class CSVReporter:
    """One row per benchmark result; structured fields as JSON text."""

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        rows = [_flatten(r) for r in to_rows(records)]
        extra = sorted({k for r in rows for k in r} - set(_CSV_COLUMNS))
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=[*_CSV_COLUMNS, *extra], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        write_bytes(destination, buf.getvalue().encode())

    def read(self, source: str) -> list[BenchmarkRecord]:
        reader = csv.DictReader(io.StringIO(read_bytes(source).decode()))
        rows = []
        for raw in reader:
            row = _unflatten({k: v for k, v in raw.items() if v != "" or k == "value"})
            row["time_ns"] = int(row.get("time_ns") or 0)
            row["error_occurred"] = row.get("error_occurred") == "True"
            for key in ("error_type", "error_message", "traceback"):
                row.setdefault(key, None)
            row.setdefault("description", "")
            row.setdefault("unit", "")
            rows.append(row)
        return from_rows(rows)


class ParquetReporter:
    """A Parquet table with CSV's columns (needs pyarrow)."""

    def _pyarrow(self) -> Any:
        try:
            import pyarrow
            import pyarrow.parquet  # noqa: F401
        except ImportError as exc:
            raise ReporterError("Parquet output needs pyarrow: `pip install pyarrow`") from exc
        return pyarrow

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        pa = self._pyarrow()
        rows = [_flatten(r) for r in to_rows(records)]
        extra = sorted({k for r in rows for k in r} - set(_CSV_COLUMNS))  # samples, memory, ...
        columns = {c: [r.get(c) for r in rows] for c in (*_CSV_COLUMNS, *extra)}
        columns["timestamp"] = [float(v or 0.0) for v in columns["timestamp"]]
        columns["time_ns"] = [int(v or 0) for v in columns["time_ns"]]
        buf = pa.BufferOutputStream()
        pa.parquet.write_table(pa.table(columns), buf)
        write_bytes(destination, buf.getvalue().to_pybytes())

    def read(self, source: str) -> list[BenchmarkRecord]:
        pa = self._pyarrow()
        table = pa.parquet.read_table(pa.BufferReader(read_bytes(source)))
        return from_rows(_unflatten(r) for r in table.to_pylist())


FORMATS = {
    ".json": JSONReporter,
    ".ndjson": NDJSONReporter,
    ".jsonl": NDJSONReporter,
    ".csv": CSVReporter,
    ".yaml": YAMLReporter,
    ".yml": YAMLReporter,
    ".parquet": ParquetReporter,
}
