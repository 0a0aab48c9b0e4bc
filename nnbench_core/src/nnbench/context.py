"""Run context: facts about the machine and software that make a result reproducible.

Providers are plain callables returning JSON-safe dicts. Built-ins are registered through the
``nnbench_context_providers`` hook like any plugin's. Nothing here imports torch: the torch
provider only reads it when the user's code already did.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nnbench.plugins.manager import PluginManager

ContextProvider = Callable[[], Mapping[str, Any]]
ContextLike = (
    "Context | Mapping[str, Any] | Callable[[], Mapping[str, Any]] | Iterable[Any] | None"
)


class Context(dict):
    """A JSON-safe mapping of facts; ``Context.make(d)`` copies a dict into one."""

    @classmethod
    def make(cls, data: Mapping[str, Any] | None = None) -> Context:
        from nnbench.jsonsafe import to_jsonable

        return cls(to_jsonable(dict(data or {})))

    def update_from(self, name: str, provider: ContextProvider) -> None:
        from nnbench.jsonsafe import to_jsonable

        self[name] = to_jsonable(dict(provider()))


def python_info() -> dict[str, Any]:
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "system": platform.system(),
        "release": platform.release(),
        "machine": platform.machine(),
    }


def _cpuinfo() -> tuple[str | None, int | None]:
    """Model name and physical core count from /proc/cpuinfo (None where unknown)."""
    model = None
    cores: set[tuple[str, str]] = set()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            phys = core = ""
            for line in fh:
                key, _, value = line.partition(":")
                key, value = key.strip().lower(), value.strip()
                if key == "model name" and model is None:
                    model = value
                elif key == "physical id":
                    phys = value
                elif key == "core id":
                    core = value
                elif not key and core:
                    cores.add((phys, core))
                    phys = core = ""
            if core:
                cores.add((phys, core))
    except OSError:
        pass
    return model, (len(cores) or None)


def cpu_info() -> dict[str, Any]:
    """CPU model, logical/physical/usable cores, and the compute threads in use.

    ``threads`` is torch's intra-op thread count when the user's code imported torch, else
    ``OMP_NUM_THREADS`` when set, else the usable cores; ``threads_from`` says which.
    """
    model, physical = _cpuinfo()
    info: dict[str, Any] = {"model": model or platform.processor() or platform.machine(),
                            "logical_cores": os.cpu_count(), "physical_cores": physical}
    if hasattr(os, "sched_getaffinity"):
        info["usable_cores"] = len(os.sched_getaffinity(0))
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        if var in os.environ:
            info[var] = os.environ[var]
    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "get_num_threads"):
        info["threads"], info["threads_from"] = torch.get_num_threads(), "torch"
    elif os.environ.get("OMP_NUM_THREADS", "").isdigit():
        info["threads"], info["threads_from"] = int(os.environ["OMP_NUM_THREADS"]), "OMP_NUM_THREADS"
    else:
        info["threads"] = info.get("usable_cores", os.cpu_count())
        info["threads_from"] = "usable_cores"
    return info


def git_info(path: str = ".") -> dict[str, Any]:
    """Commit, branch and dirty flag of the repository at ``path`` (empty outside one).

    One ``git status --porcelain=v2 --branch`` call gives all three (a run pays one process
    start, not three).
    """
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain=v2", "--branch", "--untracked-files=no"],
            cwd=path, capture_output=True, text=True, timeout=5, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    info: dict[str, Any] = {}
    dirty = False
    for line in out.splitlines():
        if line.startswith("# branch.oid "):
            info["commit"] = line.split(" ", 2)[2]
        elif line.startswith("# branch.head "):
            head = line.split(" ", 2)[2]
            info["branch"] = "HEAD" if head == "(detached)" else head
        elif line and not line.startswith("#"):
            dirty = True
    if info.get("commit") in (None, "(initial)"):
        return {}
    info["dirty"] = dirty
    return {"commit": info["commit"], "branch": info.get("branch", "HEAD"), "dirty": dirty}


def nnbench_versions() -> dict[str, Any]:
    """nnbench-core and every distribution that provides an nnbench plugin."""
    from importlib.metadata import PackageNotFoundError, entry_points, version

    try:
        out: dict[str, Any] = {"nnbench-core": version("nnbench-core")}
    except PackageNotFoundError:  # running from a source tree
        out = {"nnbench-core": None}
    for ep in entry_points(group="nnbench"):
        dist = getattr(ep, "dist", None)
        if dist is not None:
            out[dist.metadata["Name"]] = dist.version
    return out


#: import name -> distribution, for packages worth recording when a benchmark imported them.
KNOWN_PACKAGES = {
    "torch": "torch", "transformers": "transformers", "datasets": "datasets",
    "tokenizers": "tokenizers", "safetensors": "safetensors", "accelerate": "accelerate",
    "huggingface_hub": "huggingface-hub", "seqeval": "seqeval", "numpy": "numpy",
    "scipy": "scipy", "pandas": "pandas", "sklearn": "scikit-learn", "pyarrow": "pyarrow",
    "onnx": "onnx", "onnxruntime": "onnxruntime", "jax": "jax", "tensorflow": "tensorflow",
    "evaluate": "evaluate", "sentencepiece": "sentencepiece", "fsspec": "fsspec",
    "triton": "triton", "optimum": "optimum", "peft": "peft", "timm": "timm",
}


def imported_packages() -> dict[str, Any]:
    """Versions of the well-known ML packages the run has imported (no scan of site-packages).

    ``NNBENCH_PACKAGES=a,b`` names more distributions to record whether imported or not.
    """
    from importlib.metadata import PackageNotFoundError, version

    names = [dist for mod, dist in KNOWN_PACKAGES.items() if mod in sys.modules]
    names += [n.strip() for n in os.environ.get("NNBENCH_PACKAGES", "").split(",") if n.strip()]
    out: dict[str, Any] = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            mod = sys.modules.get(name.replace("-", "_"))
            out[name] = getattr(mod, "__version__", None)
    return out


def torch_info() -> dict[str, Any]:
    """torch version, threads and CUDA device, only if the user's code imported torch."""
    torch = sys.modules.get("torch")
    if torch is None:
        return {}
    info: dict[str, Any] = {
        "version": getattr(torch, "__version__", None),
        "num_threads": torch.get_num_threads(),
        "cuda_available": bool(torch.cuda.is_available()),
    }
    if info["cuda_available"]:
        info["cuda_version"] = torch.version.cuda
        info["device"] = torch.cuda.get_device_name()
        info["device_count"] = torch.cuda.device_count()
    return info


def hostname() -> dict[str, Any]:
    """The host name: only recorded when asked (``nnbench run --hostname``, or pass this
    provider in ``context=``), since results files are often shared."""
    return {"hostname": platform.node()}


# -- upstream nnbench's provider classes: each returns ``{key: facts}`` -------------------------

class PythonInfo:
    """Python's version, implementation and build (``python_info`` plus ``buildno``,
    ``buildtime``), and the installed version of each of ``packages`` ("" when missing)."""

    key = "python"

    def __init__(self, packages: Iterable[str] = ()) -> None:
        self.packages = tuple(packages)

    def __call__(self) -> dict[str, Any]:
        from importlib.metadata import PackageNotFoundError, version

        info = python_info()
        info["buildno"], info["buildtime"] = platform.python_build()
        packages = {}
        for name in self.packages:
            try:
                packages[name] = version(name)
            except PackageNotFoundError:
                packages[name] = ""
        info["packages"] = packages
        return {self.key: info}


class GitEnvironmentInfo:
    """``git_info`` plus the latest tag and where ``remote`` points (host and repository,
    never credentials in the remote's URL); empty values outside a repository."""

    key = "git"

    def __init__(self, remote: str = "origin") -> None:
        self.remote = remote

    def __call__(self) -> dict[str, Any]:
        info: dict[str, Any] = {"commit": "", "provider": "", "repository": "", "tag": "",
                                "dirty": None, **git_info()}
        info["tag"] = _git_out("describe", "--tags", "--abbrev=0")
        info["provider"], info["repository"] = _remote_parts(
            _git_out("remote", "get-url", self.remote))
        return {self.key: info}


def _git_out(*args: str) -> str:
    try:
        proc = subprocess.run(["git", *args], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _remote_parts(url: str) -> tuple[str, str]:
    """(host, owner/name) of a remote URL, ``https://...`` or ``git@host:owner/name.git``."""
    if not url:
        return "", ""
    if "://" in url:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path
    else:
        host, _, path = url.rpartition("@")[2].partition(":")
    return host, path.strip("/").removesuffix(".git")


class CPUInfo:
    """``cpu_info`` plus upstream's keys: architecture, bitness, system, processor counts,
    total memory in ``memunit`` and, where psutil is installed, clock speeds in ``frequnit``."""

    key = "cpu"
    _SCALE = {"k": 1e3, "M": 1e6, "G": 1e9}

    def __init__(self, memunit: str = "MB", frequnit: str = "MHz") -> None:
        if memunit not in ("kB", "MB", "GB") or frequnit not in ("kHz", "MHz", "GHz"):
            raise ValueError(f"CPUInfo(memunit={memunit!r}, frequnit={frequnit!r}): use "
                             "memunit kB, MB or GB and frequnit kHz, MHz or GHz")
        self.memunit, self.frequnit = memunit, frequnit

    def __call__(self) -> dict[str, Any]:
        info = cpu_info()
        info.update({
            "architecture": platform.machine(), "bitness": platform.architecture()[0],
            "processor": platform.processor(), "system": platform.system(),
            "system-version": platform.release(), "num_cpus": info.get("physical_cores"),
            "num_logical_cpus": info.get("logical_cores"), "memory_unit": self.memunit,
        })
        try:
            pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
            info["total_memory"] = pages * size / self._SCALE[self.memunit[0]]
        except (AttributeError, ValueError, OSError):
            pass
        try:
            import psutil

            freq = psutil.cpu_freq()
        except Exception:  # not installed, or no frequency on this machine
            freq = None
        if freq is not None:
            scale = 1e6 / self._SCALE[self.frequnit[0]]  # psutil gives MHz
            info.update(frequency=freq.current * scale, min_frequency=freq.min * scale,
                        max_frequency=freq.max * scale, frequency_unit=self.frequnit)
        return {self.key: info}


def build_context(context: ContextLike, plugins: PluginManager) -> Context:
    """The built-in and plugin providers' facts, then the caller's context on top."""
    ctx = Context()
    for name, reg in plugins.context_providers().items():
        try:
            ctx.update_from(name, reg.factory)
        except Exception as exc:
            _warn(f"context provider {name!r} failed: {exc}", stacklevel=3)
    if context is None:
        return ctx
    if isinstance(context, Mapping):
        ctx.update(Context.make(context))
    elif callable(context):
        ctx.update(Context.make(context()))
    else:
        for item in context:
            ctx.update(Context.make(item if isinstance(item, Mapping) else item()))
    return ctx


def _warn(message: str, stacklevel: int = 1) -> None:
    import warnings

    warnings.warn(message, stacklevel=stacklevel + 1)
