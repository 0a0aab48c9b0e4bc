"""Fetch the chart libraries the HTML report inlines, from the npm registry, and check them.

    python nnbench_core/tools/vendor_vega.py            # fetch, verify sha256, copy
    python nnbench_core/tools/vendor_vega.py --update   # after editing a version: record new hashes

Each file in ``src/nnbench/reporter/html/vendor/MANIFEST.json`` names an npm package, a version
and the path inside its tarball. ``npm pack PACKAGE@VERSION`` downloads the tarball (the npm
client, with its own integrity check); the file is taken from it, compared with the recorded
sha256 (a mismatch stops everything, nothing is copied) and written beside the manifest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src" / "nnbench" / "reporter" / "html" / "vendor"


def fetch(package: str, version: str, folder: Path) -> Path:
    """The tarball of ``package@version``, downloaded by ``npm pack`` into ``folder``."""
    out = subprocess.run(["npm", "pack", f"{package}@{version}", "--silent"], cwd=folder,
                         check=True, capture_output=True, text=True).stdout.split()
    return folder / out[-1]


def member(tarball: Path, path: str) -> bytes:
    with tarfile.open(tarball) as tar:
        fh = tar.extractfile(f"package/{path}")
        if fh is None:
            raise SystemExit(f"{tarball.name} has no file package/{path}")
        return fh.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true",
                        help="record the fetched files' sha256 instead of checking them")
    args = parser.parse_args(argv)
    manifest_path = VENDOR / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text())
    contents: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tarballs: dict[tuple[str, str], Path] = {}
        for name, entry in manifest["files"].items():
            key = (entry["package"], entry["version"])
            if key not in tarballs:
                tarballs[key] = fetch(*key, Path(tmp))
            data = member(tarballs[key], entry["path"])
            digest = hashlib.sha256(data).hexdigest()
            if args.update:
                entry["sha256"] = digest
            elif digest != entry["sha256"]:
                print(f"error: {name} from {key[0]}@{key[1]} has sha256 {digest}, the manifest "
                      f"says {entry['sha256']}; rerun with --update if the version changed",
                      file=sys.stderr)
                return 1
            contents[name] = data
    for name, data in contents.items():
        (VENDOR / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    if args.update:
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
