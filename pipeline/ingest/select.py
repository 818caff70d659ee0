"""Which files of a corpus folder are minutes: decided from the name and, when the name does not say, the first bytes.

    FileSelection(include=(), exclude=())       --include / --exclude globs
    selection.by_name(relative_path)            True: read, False: leave out, None: the content decides
    sniffs_as_minutes(abs_path, has_extension)  the content's verdict

A file is read (as a document, or as a row of `errors` saying why it could not be) when
- its path matches an --exclude glob: never (--exclude wins over everything, --include too);
- its path matches an --include glob: always, whatever its extension (its bytes decide its format, so a
  picture that matched becomes an `errors` row saying what it is);
- its extension is a minute format (MINUTE_SUFFIXES, any case);
- it has another extension, or none, and its first bytes are a PDF, a Word document or an HTML page; a file
  with no extension at all is also read when its bytes are plain text (scrapers often save minutes without
  one), while notes.md or table.csv, text in formats of their own, are not.
The scan keeps an entry whose bytes cannot be looked at (a dangling link, a FIFO, an unreadable file), so its
`errors` row says why, rather than dropping it. A glob without '/' matches the file name, one with '/' the
path under the corpus root ('*' may cross folders); case is ignored, as for the extensions.
"""

from __future__ import annotations

import fnmatch
import os
import zipfile
from dataclasses import dataclass

from .core import IngestError
from .sniff import opens_as_html_page, sniff_format

MINUTE_SUFFIXES = (".txt", ".htm", ".html", ".pdf", ".docx")
SNIFF_BYTES = 8192  # enough for every signature sniff_format looks for at the start of a file


def glob_matches(relative_path: str, glob: str) -> bool:
    """Whether a corpus path ('2019/cabinet.PDF') matches a glob ('*.pdf', '2019/*'), ignoring case."""
    path, glob = relative_path.lower(), glob.lower()
    if "/" not in glob:
        path = path.rsplit("/", 1)[-1]
    return fnmatch.fnmatchcase(path, glob.lstrip("/"))


def has_extension(relative_path: str) -> bool:
    return bool(os.path.splitext(relative_path.rsplit("/", 1)[-1])[1])


def _is_word_document(abs_path: str) -> bool:
    try:
        with zipfile.ZipFile(abs_path) as archive:
            return "word/document.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile, NotImplementedError, ValueError):
        return False


def sniffs_as_minutes(abs_path: str, extension: bool) -> bool:
    """Whether a regular file whose extension is not a minute format holds one, from its first bytes
    (`extension`: whether its name has an extension at all). True when it cannot be read: its error is kept."""
    try:
        with open(abs_path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return True
    if head.startswith(b"PK\x03\x04"):
        return _is_word_document(abs_path)
    try:
        found = sniff_format(head, "")
    except IngestError:  # an image, an archive, binary bytes: not minutes
        return False
    if found == "pdf" or (found == "html" and opens_as_html_page(head)):
        return True  # a saved page or PDF whatever it is called (.aspx, .php, no extension)
    return not extension and found in ("txt", "html") and bool(head.strip())


@dataclass(frozen=True)
class FileSelection:
    """--include and --exclude globs (repeatable); none given: the minute formats only."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def by_name(self, relative_path: str) -> bool | None:
        """True: read the file; False: leave it out; None: its first bytes decide (`sniffs_as_minutes`)."""
        if any(glob_matches(relative_path, glob) for glob in self.exclude):
            return False
        if any(glob_matches(relative_path, glob) for glob in self.include):
            return True
        if os.path.splitext(relative_path.rsplit("/", 1)[-1])[1].lower() in MINUTE_SUFFIXES:
            return True
        return None
