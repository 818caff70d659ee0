"""A manifest: what a scraper knows about each source file (its URL, council, committee, meeting date).

    find_manifest(corpus, manifest=None) -> Path | None   --manifest FILE, else manifest.csv / manifest.json
    read_manifest(path) -> {path: ManifestRow}            every row checked; problems raise ManifestError
    check_paths(rows, source_paths, label)                every row must name a file the scan found

One row per source file, relative to the corpus root. Columns (CSV header, or keys of the JSON objects):
`path` (required), `url`, `council`, `committee`, `meeting_date` (ISO yyyy-mm-dd). An empty cell (or a
JSON null) gives nothing, so the next source decides (see `pipeline.ingest.given`). A CSV is read as
UTF-8 (a byte-order mark from Excel is fine); a JSON manifest is an array of objects.

Every problem stops the run before any file is read, with one line per problem naming the manifest, the
line (CSV) or item (JSON) and what to do: an unknown column, a malformed date, a path that matches no
file, a duplicate path. The manifest is the user's own statement about the corpus; applying the rows
that happen to be right and dropping the others would give metadata marked `manifest` that is not
what the manifest says, and the check costs nothing next to the run it saves. (The `errors` table is
for source files that cannot be read; a manifest row naming no file has no source to attach to.)
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST_NAMES = ("manifest.csv", "manifest.json")  # at the corpus root: picked up, and never documents
COLUMNS = ("path", "url", "council", "committee", "meeting_date")
VALUE_COLUMNS = COLUMNS[1:]
MAX_PROBLEMS_SHOWN = 20
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class MetadataError(ValueError):
    """A manifest or metadata option that cannot be used; str() is the whole message, one line per problem."""

    def __init__(self, problems: list[str] | str):
        problems = [problems] if isinstance(problems, str) else list(problems)
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown)} more problems")
        super().__init__("\n".join(shown))
        self.problems = problems


class ManifestError(MetadataError):
    """The manifest cannot be read or has problems (exit status `pipeline.errors.ExitCode.MANIFEST`)."""


@dataclass(frozen=True)
class ManifestRow:
    path: str  # normalised, relative to the corpus root
    where: str  # "manifest.csv line 4" / "manifest.json item 3", for messages
    values: dict = field(default_factory=dict)  # column -> non-empty value (url, council, committee, meeting_date)


def find_manifest(corpus: str | Path, manifest: str | Path | None = None) -> Path | None:
    """The manifest of a run: the file given (which must exist), else manifest.csv or manifest.json at the root."""
    if manifest is not None:
        path = Path(manifest)
        if not path.is_file():
            raise ManifestError(f"manifest {path} not found: give the path of a .csv or .json file")
        return path
    found = [Path(corpus) / name for name in MANIFEST_NAMES if (Path(corpus) / name).is_file()]
    if len(found) > 1:
        raise ManifestError(
            f"{found[0]} and {found[1]} are both at the corpus root: keep one, or choose one with --manifest FILE"
        )
    return found[0] if found else None


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ManifestError(f"manifest {path}: name it .csv or .json so its format is known")
    return suffix[1:]


def _records(path: Path) -> list[tuple[str, dict]]:
    """(where, {column: raw value}) per row; file-level problems raise ManifestError."""
    fmt = _format(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError(f"manifest {path} is not UTF-8 text: save it as UTF-8 (Excel: 'CSV UTF-8')") from None
    except OSError as exc:
        raise ManifestError(f"manifest {path} cannot be read ({exc.strerror or exc})") from None
    return _csv_records(path, text) if fmt == "csv" else _json_records(path, text)


def _check_columns(path: Path, names: list[str], where: str) -> list[str]:
    problems = []
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        problems.append(
            f"{where}: unknown column {', '.join(repr(n) for n in unknown)}; the columns are "
            f"{', '.join(COLUMNS)}: rename or remove it"
        )
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        problems.append(f"{where}: column {', '.join(map(repr, duplicated))} appears twice: keep one")
    return problems


def _csv_records(path: Path, text: str) -> list[tuple[str, dict]]:
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ManifestError(
            f"manifest {path} is empty: write a header line (path,council,...) and one row per file"
        ) from None
    except csv.Error as exc:
        raise ManifestError(f"manifest {path} line 1: not CSV ({exc})") from None
    problems = _check_columns(path, header, f"{path} line 1")
    if "path" not in header:
        problems.append(f"manifest {path} has no 'path' column: name the file of each row in a column 'path'")
    if problems:
        raise ManifestError(problems)
    records = []
    try:
        for cells in reader:
            where = f"{path} line {reader.line_num}"
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            if len(cells) > len(header):
                problems.append(f"{where}: {len(cells)} cells but the header names {len(header)} columns")
                continue
            records.append((where, dict(zip(header, cells))))
    except csv.Error as exc:
        raise ManifestError(f"manifest {path} line {reader.line_num}: not CSV ({exc})") from None
    if problems:
        raise ManifestError(problems)
    return records


def _json_records(path: Path, text: str) -> list[tuple[str, dict]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"manifest {path} is not JSON ({exc})") from None
    if not isinstance(data, list):
        raise ManifestError(f'manifest {path}: write a JSON array of objects, one per file ([{{"path": ...}}, ...])')
    records, problems = [], []
    for number, item in enumerate(data, 1):
        where = f"{path} item {number}"
        if not isinstance(item, dict):
            problems.append(f'{where}: not an object; write {{"path": "...", ...}}')
            continue
        problems += _check_columns(path, list(item), where)
        for name, value in item.items():
            if value is not None and not isinstance(value, str):
                problems.append(f"{where}: {name} is {json.dumps(value)}; write it as a string (or null)")
        records.append((where, item))
    if problems:
        raise ManifestError(problems)
    return records


def normalise_path(raw: str) -> str | None:
    """The path as the scan stores it ('./a/b.txt' -> 'a/b.txt'); None for one that leaves the corpus root."""
    path = PurePosixPath(raw.strip())
    if path.is_absolute() or ".." in path.parts:
        return None
    parts = [part for part in path.parts if part != "."]
    return "/".join(parts) if parts else None


def _check_date(value: str) -> bool:
    if not _ISO_DAY.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def read_manifest(path: str | Path) -> dict[str, ManifestRow]:
    """Every row of the manifest, by normalised path. Raises ManifestError naming every problem found."""
    path = Path(path)
    rows: dict[str, ManifestRow] = {}
    problems: list[str] = []
    for where, record in _records(path):
        raw_path = (record.get("path") or "").strip()
        if not raw_path:
            problems.append(f"{where}: no path: name the file, relative to the corpus root")
            continue
        relative = normalise_path(raw_path)
        if relative is None:
            problems.append(f"{where}: path {raw_path!r} leaves the corpus: write it relative to the corpus root")
            continue
        values = {}
        for name in VALUE_COLUMNS:
            value = " ".join((record.get(name) or "").split())
            if not value:
                continue
            if name == "meeting_date" and not _check_date(value):
                problems.append(
                    f"{where}: meeting_date {value!r} is not a date written yyyy-mm-dd (e.g. 2019-04-10): "
                    "correct it or leave it empty"
                )
                continue  # the row is still kept, so a duplicate of it is named too
            values[name] = value
        if relative in rows:
            first = rows[relative].where
            problems.append(f"{where}: path {relative!r} is already given at {first}: keep one row per file")
            continue
        rows[relative] = ManifestRow(relative, where, values)
    if problems:
        raise ManifestError(problems)
    return rows


def check_paths(
    rows: dict[str, ManifestRow], source_paths: set[str], corpus: str | Path, left_out: set[str] = frozenset()
) -> None:
    """Every manifest row must name a file the scan found (hidden files and the manifest itself are not files).
    `left_out`: files the scan passed over (not minutes, or --exclude), named as such in the message."""
    root_name = Path(corpus).resolve().name
    problems = []
    for relative, row in rows.items():
        if relative in source_paths:
            continue
        if relative in left_out:
            problems.append(
                f"{row.where}: {relative!r} is not read (not a minute format, or --exclude): remove the row, "
                "or read the file with --include"
            )
            continue
        hint = ""
        head, _, rest = relative.partition("/")
        if head == root_name and rest in source_paths:
            hint = f" (paths are relative to the corpus root: write {rest!r})"
        problems.append(f"{row.where}: no file {relative!r} under {corpus}{hint}: correct the path, or remove the row")
    if problems:
        raise ManifestError(problems)
