"""`minutes show TARGET --tables OUT --out page.html`: the review page of one source file or document.

TARGET is what the user knows the document by, looked up in the documents table in this order: a doc_id; a
source path (as in `source_path`, relative to the corpus, or a path that ends with it, e.g. corpus/x.txt); a bare
file name (the last part of `source_path`, or of `source_url`); a source URL. A file that holds several
meetings has several documents: the page shows them all. A file on disk is looked up by its content (sha256):
found in the tables, its rows are shown as extracted; not found (new, or changed since), it is run through the
pipeline first. The page itself is built by `pipeline.review_page`.
"""

from __future__ import annotations

import difflib
import hashlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .review_page import render


class ShowError(Exception):
    """A document that cannot be found or read: one line saying what and what to do."""


ROW_TABLES = ("sections", "entities", "relations", "metrics", "attendance")


def _records(df) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")  # nulls as None, not NaN (pandas 3)


def _catalogue(tables: str | Path):
    """doc_id, part, sha256 and the source columns of every document (no text), or None without tables."""
    if not (Path(tables) / "documents").is_dir():
        return None
    from .analysis import connect

    with _reading(tables):
        con = connect(tables)
        return con.execute(
            "select doc_id, part, sha256, source_path, source_url from documents order by source_path, part"
        ).df()


@contextmanager
def _reading(tables: str | Path):
    """A damaged Parquet part becomes one line naming the folder, not a traceback."""
    import duckdb
    import pyarrow as pa

    try:
        yield
    except (duckdb.Error, pa.ArrowException, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ShowError(f"cannot read the tables in {tables} ({first}): run `minutes extract` into it again") from None


def _name(value) -> str:
    return PurePosixPath(str(value).rstrip("/")).name if value else ""


def find_documents(catalogue, target: str) -> list[str]:
    """doc_ids TARGET names (see the module docstring), in file order; several files of the same name raise."""
    path = PurePosixPath(target.replace("\\", "/")).as_posix().removeprefix("./")
    bare = "/" not in path
    by_source = catalogue.assign(source_path=catalogue["source_path"].fillna(""))
    sources = by_source["source_path"]
    tests = [
        catalogue["doc_id"] == target,
        sources == path,
        sources.map(lambda s: bool(s) and (path.endswith("/" + s) or s.endswith("/" + path))),
        sources.map(_name) == path if bare else None,
        catalogue["source_url"] == target,
        catalogue["source_url"].map(_name) == path if bare else None,
    ]
    for test in tests:
        if test is None or not test.any():
            continue
        hits = by_source[test.fillna(False).astype(bool)]
        files = sorted(set(hits["sha256"]))
        if len(files) > 1:
            listed = ", ".join(sorted(set(hits["source_path"])))
            raise ShowError(f"{target!r} names {len(files)} different files ({listed}): give the path or a doc_id")
        return list(hits.sort_values("part")["doc_id"])
    return []


def _no_document(catalogue, target: str, tables: str | Path) -> ShowError:
    names = {
        *catalogue["doc_id"],
        *catalogue["source_path"].dropna(),
        *catalogue["source_path"].dropna().map(_name),
        *catalogue["source_url"].dropna(),
    }
    close = difflib.get_close_matches(target, sorted(names), n=3, cutoff=0.5)
    close += difflib.get_close_matches(_name(target), sorted(names), n=3, cutoff=0.5)
    close = list(dict.fromkeys(close))[:3]
    hint = (
        f"did you mean {' or '.join(close)}?"
        if close
        else f"its files are {', '.join(catalogue['source_path'].dropna().head(3))}"
        + (" …" if len(catalogue) > 3 else "")
    )
    return ShowError(
        f"no document {target!r} in {tables} ({len(catalogue)} documents): {hint} "
        "Give a doc_id, a source path or a file name from its documents table."
    )


def rows_from_tables(tables: str | Path, doc_id: str) -> dict:
    """One document's rows from the extracted tables (nothing is re-run)."""
    from .analysis import connect

    with _reading(tables):
        con = connect(tables)
        rows = {"documents": _records(con.execute("select * from documents where doc_id = ?", [doc_id]).df())}
        for table in ROW_TABLES:
            rows[table] = _records(con.execute(f"select * from {table} where doc_id = ? order by 1", [doc_id]).df())
    if not rows["documents"]:
        raise ShowError(f"no document {doc_id!r} in {tables}: give a doc_id from its documents table")
    return rows


def rows_from_file(path: Path, model: str | None) -> list[dict]:
    """Every document of a file, run through the pipeline (sections and metadata only without a model)."""
    from . import __version__
    from .export.rows import doc_rows
    from .ingest import IngestError, read_documents
    from .nlp import cached_nlp

    try:
        sources = read_documents(path)
    except (IngestError, OSError) as exc:
        raise ShowError(f"{path}: cannot be read ({exc}): give a file of minutes (.txt .html .pdf .docx)") from None
    nlp = cached_nlp(model if model and Path(model).is_dir() else None)
    return [doc_rows(src, nlp(src.text), __version__, "shown") for src in sources]


def page_rows(target: str, tables: str | Path, model: str | None) -> tuple[list[dict], str]:
    """The rows of every document TARGET names, and where they came from ('tables' or 'pipeline')."""
    catalogue = _catalogue(tables)
    path = Path(target)
    if path.is_file():
        if catalogue is not None:
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                raise ShowError(f"{path}: cannot be read ({exc.strerror or exc}): check its permissions") from None
            same = catalogue[catalogue["sha256"] == digest].sort_values("part")
            if len(same):
                return [rows_from_tables(tables, d) for d in same["doc_id"]], "tables"
        return rows_from_file(path, model), "pipeline"
    if catalogue is None:
        raise ShowError(
            f"{target!r} is not a file, and {tables} holds no extracted tables: give a file of minutes, or the "
            "output folder of `minutes extract` with --tables"
        )
    doc_ids = find_documents(catalogue, target)
    if not doc_ids:
        raise _no_document(catalogue, target, tables)
    return [rows_from_tables(tables, d) for d in doc_ids], "tables"


def write_page(documents: list[dict], title: str, out: str | Path) -> Path:
    out = Path(out)
    try:
        out.write_text(render(documents, title), encoding="utf-8")
    except OSError as exc:
        raise ShowError(f"cannot write {out} ({exc.strerror or exc}): choose another --out") from None
    return out


def show(target: str, out: str | Path, tables: str | Path = "data/extracted", model: str | None = None) -> Path:
    """Write the review page of TARGET to `out`; ShowError (one line) when it cannot."""
    return write_page(page_rows(target, tables, model)[0], target, out)


def doubtful_document(tables: str | Path) -> tuple[str, str]:
    """The document with the most rows to review (else the most mentions), and the span of its first such row."""
    from .analysis import connect, load, pick_document
    from .review_page import REVIEW_BELOW

    con = connect(tables)
    doubtful = con.execute(
        "select doc_id, span from (select doc_id, head_id as span, score from relations "
        "union all select doc_id, entity_id as span, score from attendance) "
        "where score < ? and span is not null order by doc_id, span",
        [REVIEW_BELOW],
    ).df()
    if len(doubtful):
        doc_id = doubtful["doc_id"].value_counts().idxmax()
        return doc_id, doubtful[doubtful["doc_id"] == doc_id]["span"].iloc[0]
    doc_id = pick_document(load(tables))
    first = con.execute("select entity_id from entities where doc_id = ? order by start_char limit 1", [doc_id])
    return doc_id, (first.fetchone() or [""])[0]


def main(argv: list[str] | None = None) -> int:
    """python -m pipeline.show --tables data/extracted --screenshot docs/images/review-page.png"""
    import argparse
    import sys
    import tempfile

    from .browser import BrowserError, page_url, screenshot

    ap = argparse.ArgumentParser(
        prog="python -m pipeline.show",
        description="Picture the review page of the document with the most rows to review, scrolled to one.",
    )
    ap.add_argument("--tables", default="data/extracted", help="Extracted tables.")
    ap.add_argument("--screenshot", required=True, help="PNG to write (e.g. docs/images/review-page.png).")
    args = ap.parse_args(argv)
    if not (Path(args.tables) / "documents").is_dir():
        print(f"error: {args.tables} holds no extracted tables: run `make extract` first", file=sys.stderr)
        return 2
    doc_id, span = doubtful_document(args.tables)
    with tempfile.TemporaryDirectory(prefix="minutes-show-") as tmp:
        page = write_page([rows_from_tables(args.tables, doc_id)], doc_id, Path(tmp) / "page.html")
        try:
            print(f"wrote {screenshot(page_url(page, 'order=review', span), args.screenshot, (1400, 900))}")
        except BrowserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
