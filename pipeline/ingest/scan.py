"""Scan a corpus folder: every file of minutes under it, sorted and hashed, before anything is read as text.

    scan_corpus(corpus) -> [CorpusFile, ...]   path as stored in the tables, absolute path, SHA-256
    scan_selected(corpus, max_bytes, selection) -> CorpusScan   the same, and the paths left out

Which files are minutes (the known formats, files whose first bytes are one, --include, --exclude) is
`pipeline.ingest.select`; the others are left out before they are hashed, and only counted.

Entries that cannot be used (unreadable, a pipe or device, a symbolic link leading outside the corpus,
a file over the size limit) are kept as CorpusFiles with a read error, so the run reports them as rows
of the `errors` table instead of stopping. Nothing here knows about batches, parts or the pipeline.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .select import FileSelection, has_extension, sniffs_as_minutes

DEFAULT_MAX_BYTES = 50_000_000  # as read_documents: a larger file is refused from its size, never read
HASH_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class CorpusFile:
    """One entry of the corpus folder, as the scan found it."""

    source_path: str  # relative to the corpus folder, as stored in the tables
    abs_path: str
    sha256: str | None  # None when the bytes could not be read (or were too many to read)
    read_error: str | None = None
    error_stage: str = "read"  # stage of read_error: "read", or "limit" for a file over max_bytes
    # what is known of the file before it is read (manifest, --council, folder): sorted (key, value) pairs,
    # attached after the scan by `pipeline.ingest.given.Metadata.apply`
    given: tuple[tuple[str, str], ...] = ()


def sha256_file(path: str, chunk: int = HASH_CHUNK_BYTES) -> str:
    """The file's SHA-256, read in chunks so memory does not grow with the file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def table_path(relative_path: str) -> str:
    """The path as stored in the tables: a name that is not valid UTF-8 (undecodable bytes, which Python
    keeps as lone surrogates) would make Parquet refuse the whole part, so those bytes are written as \\xNN."""
    return relative_path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _NotAFile(OSError):
    """A corpus entry that is not a regular file (its message is the whole explanation)."""


def _check_regular_file(abs_path: str, root_real: str) -> None:
    """Raise _NotAFile unless abs_path is a regular file, or a link to one inside the corpus folder."""
    if os.path.islink(abs_path):
        target = os.path.realpath(abs_path)  # a loop resolves to itself or raises
        if os.path.commonpath([target, root_real]) != root_real:
            # never copy a file from elsewhere on the machine into the tables
            raise _NotAFile(
                f"symbolic link leads outside the corpus folder (to {os.readlink(abs_path)!r}); not followed"
            )
        if not os.path.isfile(target):
            raise _NotAFile(f"symbolic link does not lead to a regular file (it points to {os.readlink(abs_path)!r})")
    elif not os.path.isfile(abs_path):
        raise _NotAFile("not a regular file (a pipe, socket or device)")


def _scan_entry(abs_path: str, relative_path: str, root_real: str, max_bytes: int) -> CorpusFile:
    """One file of the walk: hashed, or kept with the reason it cannot be used."""
    try:
        _check_regular_file(abs_path, root_real)
        size = os.stat(abs_path).st_size
        if size > max_bytes:
            message = f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit"
            return CorpusFile(relative_path, abs_path, None, message, "limit")
        return CorpusFile(relative_path, abs_path, sha256_file(abs_path))
    except _NotAFile as exc:
        return CorpusFile(relative_path, abs_path, None, str(exc))
    except OSError as exc:
        message = f"cannot read the file ({type(exc).__name__}: {exc.strerror or exc})"
        return CorpusFile(relative_path, abs_path, None, message)


@dataclass
class CorpusScan:
    """What the scan found: the files to read (sorted), and the paths it left out (not minutes, or --exclude)."""

    files: list[CorpusFile] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def _is_minutes(abs_path: str, relative_path: str, root_real: str, selection: FileSelection) -> bool:
    verdict = selection.by_name(relative_path)
    if verdict is not None:
        return verdict
    try:
        _check_regular_file(abs_path, root_real)  # before opening it: a FIFO would block, a link may lead out
    except (_NotAFile, OSError):
        return True  # its bytes cannot be looked at: kept, so its errors row says why
    return sniffs_as_minutes(abs_path, has_extension(relative_path))


def scan_selected(
    corpus: str | Path, max_bytes: int | None = None, selection: FileSelection | None = None
) -> CorpusScan:
    """Every file of minutes under the corpus, sorted, hashed; unreadable entries become read errors, not crashes.

    Hidden files and folders (a leading dot) are left out and not counted. A file over max_bytes is not hashed
    (a link to something endless such as /proc/kcore would never finish): it becomes a "limit" error keyed by
    its path. `selection` (None: the minute formats only) decides which files are minutes.
    """
    max_bytes = max_bytes or DEFAULT_MAX_BYTES
    selection = selection or FileSelection()
    root = Path(corpus)
    root_real = os.path.realpath(root)
    scan = CorpusScan()
    walk_errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=walk_errors.append, followlinks=False):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            abs_path = os.path.join(dirpath, name)
            relative_path = table_path(os.path.relpath(abs_path, root))
            if not _is_minutes(abs_path, relative_path, root_real, selection):
                scan.left_out.append(relative_path)
                continue
            scan.files.append(_scan_entry(abs_path, relative_path, root_real, max_bytes))
    for exc in walk_errors:
        relative_path = table_path(os.path.relpath(exc.filename, root) if exc.filename else str(root))
        scan.files.append(
            CorpusFile(relative_path, str(exc.filename), None, f"cannot list folder: {exc.strerror or exc}")
        )
    scan.files.sort(key=lambda corpus_file: corpus_file.source_path)
    scan.left_out.sort()
    return scan


def scan_corpus(
    corpus: str | Path, max_bytes: int | None = None, selection: FileSelection | None = None
) -> list[CorpusFile]:
    """The files of `scan_selected` (the minute formats only, unless `selection` says otherwise)."""
    return scan_selected(corpus, max_bytes, selection).files
