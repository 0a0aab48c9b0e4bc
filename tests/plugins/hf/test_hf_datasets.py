"""hf:datasets/... resolves to a local folder of data files; split and config choose the files."""

from __future__ import annotations

import pytest
from nnbench.artifacts import resolve
from nnbench_hf.datasets import builder_name, data_files
from nnbench_hf.testing import CSV_DATASET_REPO, DATASET_REPO, SENTENCES

pq = pytest.importorskip("pyarrow.parquet")


def test_parquet_conversion_ref_with_split(fake_hub):
    path = resolve(f"hf:datasets/{DATASET_REPO}@refs/convert/parquet?split=test").load()
    assert fake_hub.downloaded_files() == ["conllpp/test/0000.parquet"]
    files = data_files(path)
    assert list(files) == ["test"] and builder_name(files) == "parquet"
    table = pq.read_table(files["test"][0])
    assert table.column_names == ["id", "tokens", "ner_tags"]
    assert table.num_rows == len(SENTENCES)
    ref = fake_hub.cache_dir / "datasets--ZihanWangKi--conllpp" / "refs" / "refs" / "convert" / "parquet"
    assert ref.read_text() == fake_hub.commit(DATASET_REPO, "refs/convert/parquet", "dataset")


def test_all_splits_and_warm_rerun(fake_hub):
    spec = f"hf:datasets/{DATASET_REPO}@refs%2Fconvert%2Fparquet"
    path = resolve(spec).load()
    assert sorted(data_files(path)) == ["test", "train", "validation"]
    fake_hub.clear_log()
    assert resolve(spec, split="train").load() == path
    assert [r.kind for r in fake_hub.requests] == ["info"]


def test_main_branch_of_a_script_dataset_has_no_data_files(fake_hub):
    from nnbench.errors import LoaderError

    with pytest.raises(LoaderError, match="no repository file matches"):
        resolve(f"hf:datasets/{DATASET_REPO}").load()


def test_csv_and_json_splits(fake_hub):
    path = resolve(f"hf:datasets/{CSV_DATASET_REPO}").load()
    files = data_files(path)
    assert sorted(files) == ["test", "train"]
    assert files["train"][0].endswith("data/train.csv")
    only_test = resolve(f"hf:datasets/{CSV_DATASET_REPO}", split="test", cache_dir=str(fake_hub.hf_home / "other")).load()
    assert data_files(only_test) == {"test": [str(only_test / "data" / "test.jsonl")]}


@pytest.mark.slow
def test_datasets_library_opens_the_files(fake_hub):
    datasets = pytest.importorskip("datasets")
    path = resolve(f"hf:datasets/{DATASET_REPO}@refs/convert/parquet").load()
    files = data_files(path)
    ds = datasets.load_dataset(builder_name(files), data_files=files,
                               cache_dir=str(fake_hub.hf_home / "datasets"))
    assert ds["validation"].num_rows == len(SENTENCES)
    assert ds["test"][0]["tokens"]
