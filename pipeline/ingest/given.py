"""Meeting metadata known before the text is read: from a manifest, `--council`, or the council's folder.

    MetadataOptions(manifest=None, council=None, council_from_folder=False)   what the run was told
    load_metadata(corpus, options) -> Metadata          the manifest read and checked (before the scan)
    Metadata.apply(files, corpus, left_out) -> [CorpusFile]   manifests left out, paths checked, `given` attached
    council_from_folder("anyshire-county-council") -> "Anyshire County Council"

Precedence, per value: manifest > --council (`option`) > the folder (`folder`, with --council-from-folder)
> the minutes' own header (`text`, read by `minutes_sections`). Each file's CorpusFile carries what was
given as `given`, sorted (key, value) pairs: `source_url`, and for council, committee and meeting_date the
value and `<field>_source`. The engine puts it on the Doc (`doc._.given`) before the pipeline runs, so a
given meeting date also dates the figures; it is part of what identifies the file's inputs, so a changed
manifest row (or --council) re-extracts that file on the next run.

The folder convention is opt-in (`--council-from-folder`): a corpus is often arranged by year or by
committee, and a folder named "2019" must not become a council. When it is on, the top-level folder under
the corpus root names the council of every file below it (files at the root have none), and it beats the
header: whoever arranged the folders by council knows better than a header line or an e-mail domain.
--council and --council-from-folder together are refused (the option would name every document).
Identical bytes at two paths are extracted once, under the first path (doc_id comes from the content), so
only that path's manifest row reaches the tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .manifest import MANIFEST_NAMES, ManifestRow, MetadataError, check_paths, find_manifest, read_manifest
from .scan import CorpusFile

GIVEN_FIELDS = ("council", "committee", "meeting_date")
SOURCES = ("manifest", "option", "folder", "text")
# words a folder name keeps in lower case unless it is the first word ("city-of-london" -> "City of London")
SMALL_WORDS = frozenset({"and", "by", "in", "of", "on", "the", "upon", "under", "with"})


def council_from_folder(name: str) -> str:
    """A council's name from its folder's name.

    '_' is a space; a name with no capital letter is lower-case-and-hyphens spelling: '-' is a space too and
    each word is capitalised, small words (of, and, upon, on, the, ...) after the first left lower-case
    ("anyshire-county-council" -> "Anyshire County Council", "city_of_london" -> "City of London").
    A name with a capital letter is taken as written, hyphens kept ("Stockton-on-Tees Borough Council").
    """
    text = name.replace("_", " ")
    if text == text.lower():
        words = text.replace("-", " ").split()
        text = " ".join(
            word if position and word in SMALL_WORDS else word[:1].upper() + word[1:]
            for position, word in enumerate(words)
        )
    return " ".join(text.split())


@dataclass(frozen=True)
class MetadataOptions:
    """What the run was told about its documents (all optional)."""

    manifest: str | Path | None = None  # --manifest FILE (else manifest.csv / manifest.json at the corpus root)
    council: str | None = None  # --council NAME: every document's council unless the manifest names one
    council_from_folder: bool = False  # --council-from-folder: corpus/<council folder>/... names the council


@dataclass
class Metadata:
    """The run's metadata sources, checked; `apply` attaches them to the scanned files."""

    manifest: Path | None = None
    rows: dict[str, ManifestRow] = field(default_factory=dict)
    council: str | None = None
    from_folder: bool = False

    def given(self, source_path: str) -> tuple[tuple[str, str], ...]:
        """What is known of this file before its text is read, as sorted (key, value) pairs."""
        row = self.rows.get(source_path)
        values = dict(row.values) if row else {}
        given = {}
        if values.get("url"):
            given["source_url"] = values["url"]
        for name in GIVEN_FIELDS:
            if values.get(name):
                given[name], given[f"{name}_source"] = values[name], "manifest"
        if "council" not in given:
            folder = source_path.split("/", 1)[0] if "/" in source_path else None
            if self.council:
                given["council"], given["council_source"] = self.council, "option"
            elif self.from_folder and folder and council_from_folder(folder):
                given["council"], given["council_source"] = council_from_folder(folder), "folder"
        return tuple(sorted(given.items()))

    def is_manifest(self, source_path: str, corpus: str | Path) -> bool:
        """Whether a scanned file is a manifest (never a document): manifest.csv/.json at the root, or --manifest."""
        if source_path in MANIFEST_NAMES:
            return True
        if self.manifest is None:
            return False
        return os.path.realpath(self.manifest) == os.path.realpath(os.path.join(corpus, source_path))

    def apply(self, files: list[CorpusFile], corpus: str | Path, left_out: Iterable[str] = ()) -> list[CorpusFile]:
        """The scanned files that are documents, each with its `given` metadata; a manifest row naming no
        file raises ManifestError (`left_out`: the paths the scan passed over, named as such)."""
        documents = [corpus_file for corpus_file in files if not self.is_manifest(corpus_file.source_path, corpus)]
        check_paths(self.rows, {corpus_file.source_path for corpus_file in documents}, corpus, set(left_out))
        out = []
        for corpus_file in documents:
            given = self.given(corpus_file.source_path)
            out.append(replace(corpus_file, given=given) if given else corpus_file)
        return out


def load_metadata(corpus: str | Path, options: MetadataOptions | None = None) -> Metadata:
    """Read and check the manifest and options (before the corpus is scanned). Raises MetadataError."""
    options = options or MetadataOptions()
    council = " ".join((options.council or "").split()) or None
    if options.council is not None and council is None:
        raise MetadataError("--council is empty: name the council, e.g. --council 'Anyshire County Council'")
    if council and options.council_from_folder:
        raise MetadataError(
            "--council and --council-from-folder together: --council would name every document's council; use one"
        )
    manifest = find_manifest(corpus, options.manifest)
    rows = read_manifest(manifest) if manifest is not None else {}
    return Metadata(manifest, rows, council, options.council_from_folder)


def given_dict(given: tuple[tuple[str, str], ...]) -> dict | None:
    """The `doc._.given` dict for a file's given pairs (None when nothing was given)."""
    return dict(given) if given else None


__all__ = [
    "GIVEN_FIELDS",
    "SOURCES",
    "Metadata",
    "MetadataError",
    "MetadataOptions",
    "council_from_folder",
    "given_dict",
    "load_metadata",
]
