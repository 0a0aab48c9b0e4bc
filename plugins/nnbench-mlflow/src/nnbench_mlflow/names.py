"""Benchmark names as MLflow metric keys, in a documented and reversible way.

MLflow takes letters, digits, ``_ - . / space`` (and ``:`` except on Windows) in a key, at most
250 characters, and refuses keys that look like odd paths (``.``, ``../x``, ``a//b``). nnbench's
family names do not fit (``f1_per_class_class_label=B-PER``), so a name is encoded:

* ASCII letters, digits, ``_``, ``-`` and ``.`` stay as they are;
* every other character becomes ``.xHH`` for each byte of its UTF-8 form (lower-case hex):
  ``=`` -> ``.x3d``, ``/`` -> ``.x2f``, space -> ``.x20``, ``é`` -> ``.xc3.xa9``;
* a ``.`` is also written ``.x2e`` where it would be misread: as the first character, before an
  ``x``, and as the dot of a trailing ``.time`` or ``.memory`` (which name the kinds below).

So ``f1_per_class_class_label=B-PER`` is the metric ``f1_per_class_class_label.x3dB-PER``. A
benchmark gives up to three metrics: its value under the encoded name, its timing samples as
the steps of ``NAME.time`` (seconds) and its peak memory increase as ``NAME.memory`` (bytes).
:func:`parse_metric_key` reverses :func:`metric_key`.

An encoded name longer than 243 characters (250 less the longest suffix) is cut and ends in
``.x-`` plus 12 hex digits of its SHA-256: such a key still names one benchmark, but only the
record (``nnbench/record.json``, logged with every run) has its full name.
"""

from __future__ import annotations

import hashlib
import re
import string

__all__ = ["KINDS", "MAX_KEY", "decode_name", "encode_name", "metric_key", "parse_metric_key"]

#: metric kind -> the suffix of its key ("value" has none).
KINDS = {"value": "", "time": ".time", "memory": ".memory"}
#: MLflow's limit on a metric, param or tag key.
MAX_KEY = 250
_ROOM = MAX_KEY - max(len(s) for s in KINDS.values())
_KEEP = frozenset(string.ascii_letters + string.digits + "_-.")
_ESCAPE = re.compile(r"\.x([0-9a-f]{2})")
_SHORTENED = ".x-"


def _escape(char: str) -> str:
    return "".join(f".x{b:02x}" for b in char.encode("utf-8", "surrogatepass"))


def encode_name(name: str) -> str:
    """``name`` in the characters MLflow accepts, reversibly (see the module docstring)."""
    if not name:
        raise ValueError("a benchmark name must not be empty")
    out = []
    for i, char in enumerate(name):
        if char == "." and (i == 0 or name[i + 1 : i + 2] == "x"):
            out.append(".x2e")
        elif char in _KEEP:
            out.append(char)
        else:
            out.append(_escape(char))
    text = "".join(out)
    for suffix in KINDS.values():
        if suffix and text.endswith(suffix):  # the dot is a literal one: escapes never end so
            text = text[: -len(suffix)] + ".x2e" + suffix[1:]
    if len(text) > _ROOM:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        cut = _ROOM - len(_SHORTENED) - len(digest)
        start = text.rfind(".x", max(0, cut - 3), cut + 1)
        if start != -1:  # do not split an escape
            cut = start
        text = text[:cut] + _SHORTENED + digest
    return text


def decode_name(text: str) -> str:
    """The benchmark name ``encode_name`` was given; ValueError for a shortened one."""
    if _SHORTENED in text:
        raise ValueError(f"{text!r} was shortened to fit MLflow's {MAX_KEY}-character limit; "
                         "the full name is in the run's nnbench/record.json")
    data = bytearray()
    pos = 0
    for match in _ESCAPE.finditer(text):
        data += text[pos : match.start()].encode()
        data.append(int(match[1], 16))
        pos = match.end()
    data += text[pos:].encode()
    return data.decode("utf-8", "surrogatepass")


def metric_key(name: str, kind: str = "value") -> str:
    """The MLflow metric key of benchmark ``name``'s ``kind`` ("value", "time" or "memory")."""
    return encode_name(name) + KINDS[kind]


def parse_metric_key(key: str) -> tuple[str, str]:
    """``(benchmark name, kind)`` from a key :func:`metric_key` made."""
    for kind, suffix in KINDS.items():
        if suffix and key.endswith(suffix):
            return decode_name(key[: -len(suffix)]), kind
    return decode_name(key), "value"
