"""The CLI over MLflow: run -o mlflow://, compare and runs reading back, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlflow import MlflowClient
from nnbench.store import ResultsStore
from nnbench.testing import CLIRunner
from nnbench_mlflow.testing import free_port


def stored_results(store: Path) -> int:
    db = ResultsStore(store, create=False)
    try:
        return sum(r["benchmarks"] for r in db.runs())
    finally:
        db.close()


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_compare_and_runs_read_from_mlflow(nnbench_cli: CLIRunner, bench_file: Path,
                                           mlflow_tracking_uri: str) -> None:
    for name in ("base", "cand"):
        result = nnbench_cli("run", str(bench_file), "-q", "--name", name,
                             "-o", f"mlflow://cli/{name}")
        assert result.exit_code == 1, result  # broken() fails; the others are logged
    compared = nnbench_cli("compare", "mlflow://cli/base", "mlflow://cli/cand",
                           "--format", "json")
    assert compared.exit_code == 0, compared
    assert '"f1_per_class_class_label=B-PER"' in compared.stdout
    listed = nnbench_cli("runs", "--store", "mlflow://cli", "--json")
    assert listed.exit_code == 0, listed
    assert [r["name"] for r in __import__("json").loads(listed.stdout)] == ["base", "cand"]
    table = nnbench_cli("runs", "--store", "mlflow://cli")
    assert "runs in mlflow://cli" in table.stdout and "cand" in table.stdout


@pytest.mark.parametrize("case", ["unreachable", "refused name", "deleted experiment"])
def test_bad_destinations_are_one_line_exit_2_and_results_stay_in_the_store(
        case: str, nnbench_cli: CLIRunner, bench_file: Path, nnbench_store: Path,
        mlflow_tracking_uri: str) -> None:
    if case == "unreachable":
        out, expected = f"mlflow://x?tracking_uri=http://127.0.0.1:{free_port()}", "cannot reach"
    elif case == "refused name":
        out, expected = "mlflow://" + "n" * 600, "MLflow refused the experiment name"
    else:
        client = MlflowClient(mlflow_tracking_uri)
        client.delete_experiment(client.create_experiment(
            "gone", artifact_location=str(nnbench_store.parent / "gone")))
        out, expected = "mlflow://gone", "is deleted"
    result = nnbench_cli("run", str(bench_file), "-q", "-o", out)
    assert result.exit_code == 2, result
    [line] = error_lines(result.stderr)
    assert expected in line, line
    assert stored_results(nnbench_store) == 8  # every result, as the run went


def test_an_unknown_option_is_a_usage_error(nnbench_cli: CLIRunner, bench_file: Path,
                                            mlflow_tracking_uri: str) -> None:
    result = nnbench_cli("runs", "--store", "mlflow://x?trackinguri=y")
    assert result.exit_code == 2
    [line] = error_lines(result.stderr)
    assert "unknown option 'trackinguri'" in line
