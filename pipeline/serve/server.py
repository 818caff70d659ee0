"""`minutes serve OUT`: the tables in Datasette, over the SQLite export.

The database is built (or rebuilt, when the tables' parts changed since) at OUT/_serve/minutes.sqlite, beside
a metadata file generated from the schema and the folder of review pages; then Datasette serves it, with the
review plugin registered, until Ctrl-C. `running_server` does the same in a child process for tests and
screenshots.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..export.flat_tables import ExportError, atomic_file, check_tables

SERVE_DIR = "_serve"  # under OUT; '_' keeps it out of the table readers' way, like _state
DEFAULT_DB = "minutes.sqlite"
DEFAULT_PORT = 8001
SETTINGS = {
    "truncate_cells_html": 300,  # a document's text is a cell: show its start, the row page shows it all
    "sql_time_limit_ms": 5000,  # the canned queries join whole tables
    "facet_time_limit_ms": 1000,
}


class ServeError(ExportError):
    """A user error in `minutes serve`: one line."""


@dataclass(frozen=True)
class ServeFiles:
    db: Path
    metadata: Path
    pages: Path
    rebuilt: bool

    @property
    def database(self) -> str:
        return self.db.stem


def prepare(tables_dir: Path, db: Path | None = None) -> ServeFiles:
    """Build the SQLite export unless it is current, and write Datasette's metadata beside it."""
    from ..export.sqlite_export import sqlite_is_current, write_sqlite
    from .metadata import datasette_metadata

    tables_dir = Path(tables_dir).resolve()
    check_tables(tables_dir)
    db = (Path(db) if db else tables_dir / SERVE_DIR / DEFAULT_DB).resolve()
    pages = db.parent / f"{db.stem}-pages"
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServeError(f"cannot create {db.parent} ({exc.strerror}): give --db a file where you can write") from None
    if not os.access(db.parent, os.W_OK):
        raise ServeError(f"cannot write in {db.parent}: give --db a file where you can write")
    rebuilt = not sqlite_is_current(db, tables_dir)
    if rebuilt:
        write_sqlite(tables_dir, db)
        shutil.rmtree(pages, ignore_errors=True)  # pages rendered from the old tables
    pages.mkdir(parents=True, exist_ok=True)
    files = ServeFiles(db, db.parent / f"{db.stem}-metadata.json", pages, rebuilt)
    settings = {"tables": str(tables_dir), "pages": str(pages), "python": sys.executable}
    with atomic_file(files.metadata) as tmp:
        tmp.write_text(json.dumps(datasette_metadata(files.database, settings), indent=1) + "\n", encoding="utf-8")
    return files


def check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror}): choose another with --port") from None


def datasette_args(files: ServeFiles, host: str, port: int) -> list[str]:
    args = ["serve", str(files.db), "--metadata", str(files.metadata), "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    return args


def run_datasette(args: list[str]) -> None:
    """Datasette's own command line, in this process, with the review plugin registered."""
    from datasette.cli import cli
    from datasette.plugins import pm

    from . import review_plugin

    if not pm.is_registered(review_plugin):
        pm.register(review_plugin, name="minutes-review")
    cli.main(args=args, prog_name="datasette", standalone_mode=False)


def serve_tables(tables_dir: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT, db: Path | None = None) -> None:
    """Build or refresh the database, then serve it until interrupted."""
    check_port(host, port)
    files = prepare(tables_dir, db)
    state = "built" if files.rebuilt else "up to date"
    print(f"{files.db} {state}; serving http://{host}:{port}/{files.database} (Ctrl-C stops)", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}: anyone who can reach this machine can read the tables", flush=True)
    run_datasette(datasette_args(files, host, port))


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float) -> None:
    """Poll url until it answers 200, the process exits or seconds pass (then an error that says which)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServeError(f"the server exited with status {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise ServeError(f"no answer from {url} within {seconds:.0f} s")


@contextmanager
def running_server(
    tables_dir: Path, host: str = "127.0.0.1", port: int | None = None, seconds: float = 120, log: Path | None = None
) -> Iterator[str]:
    """`minutes serve` in a child process on a free loopback port; yields its base URL, stops it afterwards."""
    port = port or free_port(host)
    command = [sys.executable, "-m", "pipeline.cli", "serve", str(tables_dir), "--host", host, "--port", str(port)]
    output = log.open("w", encoding="utf-8") if log else subprocess.DEVNULL
    proc = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://{host}:{port}"
    try:
        wait_until_up(f"{base}/-/versions.json", proc, seconds)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            output.close()
