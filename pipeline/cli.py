"""Thin command-line entry: `minutes extract | build-gold | train | evaluate | import | export | show | dictionary`.

Logic lives in importable modules; each command here parses options and calls one function.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer

from .engine.preflight import MODEL_ENV
from .paths import BUILD, DEFAULT_MODEL, MODELS

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Extract tables from UK committee minutes.")


@app.command()
def extract(
    corpus: Path = typer.Argument(..., help="Folder of minutes (.txt .htm .html .pdf .docx), searched recursively."),
    out: Path = typer.Option(Path("data/extracted"), "--out", help="Output folder: one Parquet folder per table."),
    model: Path | None = typer.Option(
        None, "--model", help=f"Trained pipeline folder (default: ${MODEL_ENV}, else {DEFAULT_MODEL})."
    ),
    rules_only: bool = typer.Option(
        False, "--rules-only", help="No model: sections and meeting metadata only (no entities, attendance, ...)."
    ),
    include: list[str] = typer.Option(
        [], "--include", help="Also read files matching GLOB, whatever their extension (repeatable)."
    ),
    exclude: list[str] = typer.Option([], "--exclude", help="Never read files matching GLOB (repeatable)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Local worker processes."),
    engine: str = typer.Option("local", "--engine", help="local or dask (a LocalCluster unless --scheduler)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    batch_files: int = typer.Option(16, "--batch-files", min=1, help="Files per batch (bounds memory)."),
    part_files: int = typer.Option(
        256, "--part-files", min=1, help="Files per Parquet part: smaller parts are merged up to this after a run."
    ),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."
    ),
    doc_seconds: float = typer.Option(
        600, "--doc-seconds", min=0, help="Time limit per file's ingest and per document's NLP (0: none)."
    ),
    manifest: Path | None = typer.Option(
        None,
        "--manifest",
        help="CSV or JSON: path, url, council, committee, meeting_date per file (default: manifest.csv or "
        "manifest.json at the corpus root).",
    ),
    council: str | None = typer.Option(
        None, "--council", help="Council of every document, unless the manifest names another."
    ),
    council_from_folder: bool = typer.Option(
        False, "--council-from-folder", help="corpus/<council folder>/...: the top-level folder names the council."
    ),
) -> None:
    """Run the pipeline over CORPUS and write the tables to --out (exit statuses: README, Errors and exit codes)."""
    from .engine import ExtractSettings
    from .engine.command import ExtractRequest, extract_command
    from .ingest.given import MetadataOptions
    from .ingest.select import FileSelection

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    request = ExtractRequest(
        corpus,
        out,
        model,
        rules_only=rules_only,
        workers=workers,
        engine=engine,
        scheduler=scheduler,
        settings=ExtractSettings(batch_files=batch_files, part_files=part_files, doc_seconds=doc_seconds),
        progress=progress,
        metadata=MetadataOptions(manifest, council, council_from_folder),
        selection=FileSelection(tuple(include), tuple(exclude)),
    )
    raise typer.Exit(int(extract_command(request)))


@app.command("build-gold")
def build_gold(
    out: Path = typer.Option(BUILD, "--out", help="Folder for gold.jsonl, the DocBins and summary.json."),
) -> None:
    """Check the .ann gold files and build gold.jsonl and the DocBins per split from them."""
    from .training.build import build_gold as build

    raise typer.Exit(build(out))


@app.command()
def train(
    model: str = typer.Option("cnn", "--model", help="cnn or trf (pipeline/configs/<model>.cfg)."),
    build: Path = typer.Option(BUILD, "--build", help="DocBins from `minutes build-gold`."),
    force: bool = typer.Option(False, "--force", help="Replace the current model even if a label regressed."),
    rebuild: bool = typer.Option(
        True,
        "--rebuild/--no-rebuild",
        help="Build the DocBins from the annotations first (make does it as its own step).",
    ),
) -> None:
    """Train a model from the gold DocBins; keep it only if no label regresses on the fixed split."""
    from .training.build import build_gold as build_docbins
    from .training.train import train_model

    if rebuild and build_docbins(build) != 0:
        raise typer.Exit(1)
    raise typer.Exit(train_model(model, build, force=force))


@app.command()
def noise(
    model: str = typer.Option("cnn", "--model", help="cnn or trf."),
    seeds: list[int] = typer.Option([1, 2, 3], "--seeds", help="Training seeds (repeat the option)."),
) -> None:
    """Measure training noise (per-label F1 spread across seeds) for the guard: pipeline/configs/<model>.noise.json."""
    from .training.noise import measure_training_noise

    result = measure_training_noise(model, tuple(seeds))
    typer.echo("F1 spread across seeds: " + ", ".join(f"{k} {v:.3f}" for k, v in result["spread"].items()))


@app.command()
def phenomena(
    model: Path = typer.Option(MODELS / "cnn", "--model", help="Model folder (rules only when it has no NER)."),
    out: Path | None = typer.Option(None, "--out", help="Also write the scores as JSON here."),
    failures: bool = typer.Option(False, "--failures", help="Print why each failing variant fails."),
    write_floors: bool = typer.Option(
        False, "--write-floors", help="Record these scores as the floors the tests hold (floors.json)."
    ),
) -> None:
    """Score the phenomena fixtures (tests/fixtures/phenomena): variants passed per phenomenon, checks per kind."""
    import json

    from .nlp import load_nlp
    from .training.phenomena import FIXTURES, floors_of, score_phenomena, summary_lines

    scores = score_phenomena(load_nlp(model if (model / "meta.json").is_file() else None))
    typer.echo("\n".join(summary_lines(scores)))
    if failures:
        for number, item in scores["per_phenomenon"].items():
            for variant, why in item["failures"].items():
                typer.echo(f"{number} {variant}: " + " | ".join(why))
    if out:
        out.write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    if write_floors:
        (FIXTURES / "floors.json").write_text(json.dumps(floors_of(scores), indent=1) + "\n", encoding="utf-8")


@app.command()
def accept(model: str = typer.Option("cnn", "--model", help="cnn or trf.")) -> None:
    """Replace the current model with the candidate the guard refused (kept in models/.candidates/<model>/)."""
    from .training.train import accept_candidate

    raise typer.Exit(accept_candidate(model))


@app.command()
def evaluate(
    model: str = typer.Option("cnn", "--model", help="cnn or trf."),
    build: Path = typer.Option(BUILD, "--build", help="DocBins from `minutes build-gold`."),
    loo: bool = typer.Option(True, "--loo/--no-loo", help="Also score the real seeds by leave-one-document-out."),
    folds: bool = typer.Option(True, "--folds/--no-folds", help="Also score cross-council folds (grouped by council)."),
) -> None:
    """Per-label scores: fixed split, seeds leave-one-out, cross-council folds, names test; rewrites the model card."""
    from .training.evaluate import evaluate_model

    raise typer.Exit(evaluate_model(model, build, loo=loo, folds=folds))


@app.command()
def dictionary(out: Path = typer.Option(Path("docs/TABLES.md"), "--out")) -> None:
    """Write the data dictionary generated from the table schemas."""
    from .export.schema import data_dictionary

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(data_dictionary() + "\n", encoding="utf-8")
    typer.echo(f"wrote {out}")


@app.command()
def show(
    target: str = typer.Argument(
        ..., help="A doc_id, a source path or file name from the tables (e.g. 2023-05-minutes.txt), or a file."
    ),
    out: Path = typer.Option(Path("page.html"), "--out", help="HTML file to write."),
    tables: Path = typer.Option(Path("data/extracted"), "--tables", help="Extracted tables to look TARGET up in."),
    model: Path | None = typer.Option(
        DEFAULT_MODEL, "--model", help="Trained pipeline, for a file not in the tables (or changed since)."
    ),
) -> None:
    """Write a review page: the text beside its rows, each row linked to its span, doubtful rows marked."""
    from .show import ShowError, page_rows, write_page

    try:
        documents, origin = page_rows(target, tables, str(model) if model else None)
        page = write_page(documents, target, out)
    except ShowError as exc:
        _fail(str(exc))
    if origin == "pipeline" and not (model and model.is_dir()):
        typer.echo(f"warning: no trained model at {model}: the page shows sections and metadata only", err=True)
    source = f"the tables in {tables}" if origin == "tables" else f"a fresh run of the pipeline on {target}"
    typer.echo(f"wrote {page} ({len(documents)} document{'s' * (len(documents) > 1)}, from {source})")


def _fail(message: str) -> None:
    """One-line error on stderr, exit status 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@app.command("import")
def import_annotations(
    source: Path = typer.Argument(..., help="An export: Label Studio JSON, doccano JSONL or Prodigy JSONL."),
    tool: str = typer.Option(..., "--from", help="labelstudio, doccano or prodigy."),
    out: Path = typer.Option(Path("annotations/written"), "--out", help="Folder for the converted .ann files."),
    kind: str | None = typer.Option(
        None, "--kind", help="real or written_for_training (default: the export's, else written_for_training)."
    ),
    prefix: str = typer.Option("imported", "--prefix", help="File name prefix for the .ann files."),
    corpus: Path | None = typer.Option(
        None, "--corpus", help="Folder the exported documents were extracted from (resolves their source=)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite .ann files that already exist."),
) -> None:
    """Convert an annotation tool's export into checked .ann gold files (all checked before any is written)."""
    from .paths import REPO
    from .training.convert import IMPORTERS, read_json_or_jsonl, record_to_ann, resolve_source
    from .training.markup import MarkupError, parse_ann

    if tool not in IMPORTERS:
        _fail(f"unknown --from {tool!r}: use one of {', '.join(IMPORTERS)}")
    if kind not in (None, "real", "written_for_training"):
        _fail(f"--kind must be real or written_for_training, not {kind!r}")
    try:
        records = IMPORTERS[tool](read_json_or_jsonl(source), kind=kind)
        files = {}
        for number, record in enumerate(records):
            name = f"{prefix}_{number:03d}.ann"
            resolve_source(record, corpus, REPO)
            ann = record_to_ann(record)
            parse_ann(ann, name, REPO)  # the same checks as the build: a bad export stops here
            files[out / name] = ann
    except (MarkupError, ValueError, KeyError, OSError) as exc:
        _fail(f"{source}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    existing = [str(path) for path in files if path.exists()]
    if existing and not force:
        _fail(f"{existing[0]} exists ({len(existing)} of {len(files)} files would be overwritten); use --force")
    out.mkdir(parents=True, exist_ok=True)
    for path, ann in files.items():
        path.write_text(ann, encoding="utf-8")
    typer.echo(f"wrote {len(records)} .ann files to {out}")


PREDICTION_FORMATS = ("prodigy", "labelstudio")
TABLE_FORMATS = ("csv", "xlsx", "sqlite")  # pipeline.export.tables_export.TABLE_FORMATS, without importing it
EXPORT_FORMATS = PREDICTION_FORMATS + TABLE_FORMATS


@app.command("export")
def export_predictions(
    tables: Path = typer.Option(Path("data/extracted"), "--tables", help="Extracted tables."),
    tool: str = typer.Option(
        "prodigy",
        "--format",
        help="prodigy (JSONL) or labelstudio (JSON tasks with predictions) for correction; csv (a folder), xlsx "
        "or sqlite: every table with the data dictionary.",
    ),
    out: Path = typer.Option(..., "--out", help="File to write (a folder for csv)."),
) -> None:
    """Export the predictions for correction (prodigy, labelstudio), or every table (csv, xlsx, sqlite)."""
    import json

    if tool not in EXPORT_FORMATS:
        _fail(f"unknown --format {tool!r}: use one of {', '.join(EXPORT_FORMATS)}")
    if tool in TABLE_FORMATS:
        from .export.tables_export import ExportError, export_tables

        try:
            summary = export_tables(tables, tool, out)
        except (ExportError, OSError) as exc:
            _fail(str(exc).splitlines()[0] if str(exc) else f"{out}: {type(exc).__name__}")
        typer.echo(summary.line())
        for note in summary.notes:
            typer.echo(f"note: {note}")
        return
    from .export.flat_tables import ExportError, atomic_file, check_tables
    from .training.convert import predictions_from_tables, to_label_studio, to_prodigy

    try:
        check_tables(tables)
    except ExportError as exc:
        _fail(str(exc))

    records = predictions_from_tables(tables)
    if tool == "prodigy":
        rows = to_prodigy(records)
        text = "".join(json.dumps(task, ensure_ascii=False, allow_nan=False) + "\n" for task in rows)
    else:
        tasks = to_label_studio(records, predictions=True)
        text = json.dumps(tasks, ensure_ascii=False, indent=1, allow_nan=False)
    try:
        with atomic_file(out) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except (ExportError, OSError) as exc:
        _fail(str(exc).splitlines()[0])
    typer.echo(f"wrote {len(records)} documents to {out}")
    if tool == "labelstudio":
        typer.echo("labeling interface for these tasks: pipeline.training.convert_labelstudio.LABEL_CONFIG")


@app.command()
def serve(
    tables: Path = typer.Argument(Path("data/extracted"), help="Extracted tables (the --out of `minutes extract`)."),
    port: int = typer.Option(8001, "--port", min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."),
    db: Path | None = typer.Option(
        None, "--db", help="SQLite file to build and serve (default: TABLES/_serve/minutes.sqlite)."
    ),
) -> None:
    """Browse the tables in Datasette: facets, full-text search, canned queries, links to review pages."""
    from .export.flat_tables import ExportError
    from .serve.server import ServeError, serve_tables

    try:
        serve_tables(tables, host, port, db)
    except (ServeError, ExportError, OSError) as exc:
        _fail(str(exc).splitlines()[0])


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
