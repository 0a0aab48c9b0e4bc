import pytest
from nnbench.errors import ReporterError
from nnbench.reporter import read_records, write_records
from nnbench.reporter.console import BenchmarkReporter
from nnbench.store.results import ResultsStore
from nnbench.types import BenchmarkRecord


def make_record(run="r1", run_id="id-1"):
    return BenchmarkRecord(
        run=run, run_id=run_id, timestamp=1700000000.5,
        context={"python": {"version": "3.11"}, "artifacts": {"model": {"spec": "hf:o/n"}}},
        benchmarks=[
            {"name": "f1", "function": "f1", "description": "F1 score", "value": 0.912345678,
             "unit": "", "parameters": {"model": "hf:o/n"}, "tags": ["metric"],
             "time_ns": 1234, "error_occurred": False, "error_type": None,
             "error_message": None, "traceback": None},
            {"name": "config", "function": "config", "description": "", "value": {"layers": 2},
             "unit": "", "parameters": {}, "tags": ["config"], "time_ns": 5,
             "error_occurred": True, "error_type": "ValueError", "error_message": "a, \"b\"\nc",
             "traceback": "Traceback..."},
        ],
    )


FORMATS = ["out.json", "out.json.gz", "out.ndjson", "out.jsonl", "out.csv", "out.csv.gz",
           "out.yaml", "out.yml", "out.parquet"]


@pytest.mark.parametrize("name", FORMATS)
def test_round_trip(tmp_path, name):
    records = [make_record(), make_record("r2", "id-2")]
    dest = str(tmp_path / name)
    write_records(records, dest)
    back = read_records(dest)
    assert [r.to_dict() for r in back] == [r.to_dict() for r in records]
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temp file left


def test_single_record_json_is_one_object(tmp_path):
    import json

    write_records([make_record()], str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text())["run"] == "r1"


def test_sqlite_round_trip_and_lookup(tmp_path):
    dest = f"sqlite:///{tmp_path / 'db.sqlite'}"
    write_records([make_record(), make_record("r2", "id-2")], dest)
    assert [r.to_dict() for r in read_records(dest)] == [
        make_record().to_dict(), make_record("r2", "id-2").to_dict()]
    store = ResultsStore(tmp_path / "db.sqlite")
    assert store.record("r2").run_id == "id-2"
    assert store.find("id-1") == "id-1"
    assert [r["benchmarks"] for r in store.runs()] == [2, 2]


def test_unknown_extension_names_the_known_ones(tmp_path):
    with pytest.raises(ReporterError, match=r"no reporter for output .*\.json"):
        write_records([make_record()], str(tmp_path / "out.xlsx"))


def test_unwritable_destination_is_clear_and_leaves_old_file(tmp_path):
    (tmp_path / "r.json").mkdir()  # a directory where the file should go
    (tmp_path / "r.json" / "keep").write_text("old")
    with pytest.raises(ReporterError, match=r"cannot write .*r\.json"):
        write_records([make_record()], str(tmp_path / "r.json"))
    assert (tmp_path / "r.json" / "keep").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]
    with pytest.raises(ReporterError, match="does not exist"):
        write_records([make_record()], str(tmp_path / "missing" / "r.json"))
    (tmp_path / "afile").write_text("")
    with pytest.raises(ReporterError, match="does not exist"):
        write_records([make_record()], str(tmp_path / "afile" / "r.json"))


def test_failed_serialisation_leaves_no_partial_file(tmp_path):
    record = make_record()
    record.benchmarks[0]["value"] = object()  # not JSON-serialisable
    (tmp_path / "r.json").write_text("previous")
    with pytest.raises(TypeError):
        write_records([record], str(tmp_path / "r.json"))
    assert (tmp_path / "r.json").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_console_table_shows_values_and_errors():
    from rich.console import Console

    console = Console(record=True, width=200)
    BenchmarkReporter(console).display(make_record())
    text = console.export_text()
    assert "0.912346" in text and "ValueError" in text and "1 of 2 benchmarks failed" in text
    assert "parameters" not in text  # the column is excluded by default
    assert "model = hf:o/n" in text  # the header names the run's artifacts
    console = Console(record=True, width=200)
    BenchmarkReporter(console).display(make_record(), exclude=())
    assert "parameters" in console.export_text()
