"""Table schemas live in one module; the data dictionary is generated from it and must not be stale."""

from pipeline.export.schema import TABLES, data_dictionary, make_doc_id
from pipeline.export.writer import DatasetWriter, rows_to_table
from pipeline.paths import REPO


def test_data_dictionary_is_current():
    committed = (REPO / "docs" / "TABLES.md").read_text(encoding="utf-8")
    assert committed == data_dictionary() + "\n", "docs/TABLES.md is stale: run `make dictionary`"


def test_design_tables_and_key_columns_present():
    required = {
        "documents": [
            "doc_id",
            "source_path",
            "part",
            "sha256",
            "format",
            "council",
            "committee",
            "meeting_date",
            "meeting_time",
            "venue",
            "n_words",
            "pipeline_version",
            "model_version",
        ],
        "sections": ["doc_id", "section_id", "kind", "item_number", "title", "start_char", "end_char", "parent_id"],
        "entities": [
            "doc_id",
            "entity_id",
            "label",
            "text",
            "norm",
            "start_char",
            "end_char",
            "section_id",
            "sentence",
            "score",
        ],
        "relations": [
            "doc_id",
            "relation_id",
            "label",
            "head_id",
            "tail_id",
            "head_text",
            "tail_text",
            "score",
            "evidence",
        ],
        "metrics": ["doc_id", "entity_id", "text", "value", "unit", "per", "indicator", "period", "sentence"],
        "attendance": ["doc_id", "person", "person_id", "status", "role", "org", "section_id"],
        "people": ["person_id", "name", "aliases", "first_seen", "last_seen"],
        "errors": ["source_path", "part", "stage", "error", "message"],
    }
    for table, cols in required.items():
        assert set(cols) <= set(TABLES[table].column_names), table
    for t in TABLES.values():
        assert len(set(t.column_names)) == len(t.column_names)
        assert all(c.description for c in t.columns)


def test_doc_id_is_stable_and_content_derived():
    sha = "ab" * 32
    assert make_doc_id(sha, 0) == make_doc_id(sha, 0) == "abababababababab-0"
    assert make_doc_id(sha, 1) != make_doc_id(sha, 0)


def test_empty_table_keeps_schema(tmp_path):
    w = DatasetWriter(tmp_path)
    path = w.write_part("metrics", "abc123", [])
    import pyarrow.parquet as pq

    t = pq.read_table(path)
    assert t.num_rows == 0 and t.schema.equals(TABLES["metrics"].schema)


def test_part_write_is_atomic_and_replaces(tmp_path):
    w = DatasetWriter(tmp_path)
    row = {"source_path": "a.txt", "part": None, "sha256": None, "stage": "read", "error": "E", "message": "m"}
    w.write_part("errors", "k1", [row])
    w.write_part("errors", "k1", [row, row])
    files = sorted(p.name for p in (tmp_path / "errors").iterdir())
    assert files == ["part-k1.parquet"]  # replaced, no temporaries left behind
    assert rows_to_table("errors", [row]).num_rows == 1


def test_unsafe_part_key_refused(tmp_path):
    import pytest

    w = DatasetWriter(tmp_path)
    with pytest.raises(ValueError):
        w.write_part("errors", "../escape", [])
