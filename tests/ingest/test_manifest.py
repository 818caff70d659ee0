"""What a scraper knows: the manifest (CSV or JSON) read and checked, folder names as councils, precedence."""

from __future__ import annotations

import json

import pytest

from pipeline.ingest.given import Metadata, MetadataOptions, council_from_folder, load_metadata
from pipeline.ingest.manifest import MetadataError, check_paths, find_manifest, read_manifest
from pipeline.ingest.scan import CorpusFile


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "folder, council",
    [
        ("anyshire-county-council", "Anyshire County Council"),
        ("anyshire_county_council", "Anyshire County Council"),
        ("city-of-london", "City of London"),
        ("newcastle-upon-tyne-city-council", "Newcastle upon Tyne City Council"),
        ("the-anyshire-council", "The Anyshire Council"),
        ("Stockton-on-Tees Borough Council", "Stockton-on-Tees Borough Council"),  # a capital: as written
        ("Stockton-on-Tees_Borough_Council", "Stockton-on-Tees Borough Council"),
        ("  southby   borough council ", "Southby Borough Council"),
    ],
)
def test_council_from_folder(folder, council):
    assert council_from_folder(folder) == council


def test_csv_manifest_read(tmp_path):
    manifest = write(
        tmp_path / "manifest.csv",
        "\ufeffPath, URL ,council,committee,meeting_date\n"  # Excel's byte-order mark; header case and spaces
        "a.txt,https://example.gov.uk/a.pdf, Anyshire  County Council ,,2019-04-10\n"
        "\n"
        "./sub/b.txt,,,Cabinet,\n",
    )
    rows = read_manifest(manifest)
    assert list(rows) == ["a.txt", "sub/b.txt"]
    assert rows["a.txt"].values == {
        "url": "https://example.gov.uk/a.pdf",
        "council": "Anyshire County Council",
        "meeting_date": "2019-04-10",
    }
    assert rows["sub/b.txt"].values == {"committee": "Cabinet"}  # empty cells give nothing
    assert rows["sub/b.txt"].where.endswith("line 4")


def test_json_manifest_read(tmp_path):
    items = [{"path": "a.txt", "council": "Anyshire County Council", "url": None}, {"path": "b.txt"}]
    rows = read_manifest(write(tmp_path / "m.json", json.dumps(items)))
    assert rows["a.txt"].values == {"council": "Anyshire County Council"} and rows["b.txt"].values == {}


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("m.csv", "path,date\na.txt,2019-04-10\n", ["m.csv line 1: unknown column 'date'", "rename or remove it"]),
        ("m.csv", "council\nX\n", ["has no 'path' column"]),
        ("m.csv", "path,meeting_date\na.txt,10/04/2019\n", ["m.csv line 2: meeting_date '10/04/2019'", "yyyy-mm-dd"]),
        ("m.csv", "path,meeting_date\na.txt,2019-02-30\n", ["line 2: meeting_date '2019-02-30' is not a date"]),
        ("m.csv", "path\na.txt\n./a.txt\n", ["m.csv line 3: path 'a.txt' is already given at", "line 2"]),
        ("m.csv", "path\n/etc/passwd\n", ["line 2: path '/etc/passwd' leaves the corpus"]),
        ("m.csv", "path\n../a.txt\n", ["leaves the corpus"]),
        ("m.csv", "path,council\n,X\n", ["line 2: no path"]),
        ("m.csv", "path\na.txt,extra\n", ["line 2: 2 cells but the header names 1 columns"]),
        ("m.csv", "", ["is empty"]),
        ("m.json", '{"path": "a.txt"}', ["write a JSON array of objects"]),
        ("m.json", "[{'path': 'a.txt'}]", ["is not JSON"]),
        ("m.json", '[{"path": "a.txt", "meeting_date": 20190410}]', ["m.json item 1: meeting_date is 20190410"]),
        ("m.json", '[{"path": "a.txt", "Council": "X"}]', ["m.json item 1: unknown column 'Council'"]),
        ("m.json", '["a.txt"]', ["item 1: not an object"]),
        ("m.txt", "path\na.txt\n", ["name it .csv or .json"]),
    ],
)
def test_bad_manifest_one_clear_line_per_problem(tmp_path, name, text, expected):
    path = write(tmp_path / name, text)
    with pytest.raises(MetadataError) as caught:
        read_manifest(path)
    message = str(caught.value)
    assert len(message.splitlines()) == 1, message
    assert str(tmp_path) in message and all(part in message for part in expected), message


def test_every_problem_is_named(tmp_path):
    path = write(tmp_path / "m.csv", "path,meeting_date\na.txt,2019\nb.txt,2019-13-01\na.txt,\n")
    with pytest.raises(MetadataError) as caught:
        read_manifest(path)
    assert [line.split(": ")[0].rsplit(" ", 1)[-1] for line in str(caught.value).splitlines()] == ["2", "3", "4"]


def test_paths_must_match_files(tmp_path):
    rows = read_manifest(write(tmp_path / "m.csv", "path\na.txt\ncorpus/b.txt\n"))
    check_paths({"a.txt": rows["a.txt"]}, {"a.txt"}, tmp_path / "corpus")
    with pytest.raises(MetadataError) as caught:
        check_paths(rows, {"a.txt", "b.txt"}, tmp_path / "corpus")
    assert str(caught.value) == (
        f"{tmp_path / 'm.csv'} line 3: no file 'corpus/b.txt' under {tmp_path / 'corpus'} "
        "(paths are relative to the corpus root: write 'b.txt'): correct the path, or remove the row"
    )


def test_find_manifest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert find_manifest(corpus) is None
    write(corpus / "manifest.json", "[]")
    assert find_manifest(corpus) == corpus / "manifest.json"
    write(corpus / "manifest.csv", "path\n")
    with pytest.raises(MetadataError, match="both at the corpus root: keep one, or choose one with --manifest"):
        find_manifest(corpus)
    assert find_manifest(corpus, corpus / "manifest.csv") == corpus / "manifest.csv"
    with pytest.raises(MetadataError, match="not found"):
        find_manifest(corpus, tmp_path / "missing.csv")


def _file(path: str) -> CorpusFile:
    return CorpusFile(path, f"/c/{path}", "0" * 64)


def test_precedence_manifest_option_folder(tmp_path):
    manifest = write(tmp_path / "m.csv", "path,council,committee\nx/a.txt,Manifest Council,\nx/b.txt,,Cabinet\n")
    rows = read_manifest(manifest)
    by_option = Metadata(manifest, rows, council="Option Council")
    assert dict(by_option.given("x/a.txt")) == {"council": "Manifest Council", "council_source": "manifest"}
    assert dict(by_option.given("x/b.txt")) == {
        "council": "Option Council",
        "council_source": "option",
        "committee": "Cabinet",
        "committee_source": "manifest",
    }
    by_folder = Metadata(manifest, rows, from_folder=True)
    assert dict(by_folder.given("x/a.txt"))["council"] == "Manifest Council"
    assert dict(by_folder.given("x/b.txt"))["council_source"] == "folder"
    assert by_folder.given("root.txt") == ()  # at the root: no folder, the header decides
    assert Metadata(manifest, rows).given("x/b.txt") == (("committee", "Cabinet"), ("committee_source", "manifest"))


def test_apply_leaves_manifests_out(tmp_path):
    corpus = tmp_path / "corpus"
    files = [_file("a.txt"), _file("manifest.csv"), _file("manifest.json"), _file("meta/list.csv")]
    write(corpus / "meta" / "list.csv", "path,council\na.txt,X\n")
    metadata = load_metadata(corpus, MetadataOptions(manifest=corpus / "meta" / "list.csv"))
    kept = metadata.apply(files, corpus)
    assert [f.source_path for f in kept] == ["a.txt"] and dict(kept[0].given)["council"] == "X"


def test_options_checked(tmp_path):
    with pytest.raises(MetadataError, match="--council and --council-from-folder together"):
        load_metadata(tmp_path, MetadataOptions(council="X", council_from_folder=True))
    with pytest.raises(MetadataError, match="--council is empty"):
        load_metadata(tmp_path, MetadataOptions(council="  "))
    assert load_metadata(tmp_path, MetadataOptions(council=" Anyshire   Council ")).council == "Anyshire Council"
