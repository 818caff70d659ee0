"""Ingest: files (.txt .html .pdf .docx) -> SourceDocuments, the texts the spaCy pipeline annotates.

    read_documents(path) -> list[SourceDocument]   one per set of minutes in the file
    sniff_format(data, suffix) -> "txt" | "html" | "pdf" | "docx"
    decode_text(data) -> (text, encoding)
    split_documents(text) -> [(start, end), ...]   ranges tiling the text
    scan_corpus(folder) -> list[CorpusFile]         every file of minutes under a corpus folder, sorted and hashed
    FileSelection(include, exclude)                  which files are minutes (known formats, sniffed, globs)
    load_metadata(corpus, MetadataOptions(...))      a manifest, --council, folder-per-council (given.py)

Bad input raises IngestError(stage, message); the extract job turns it into a row of the `errors` table.
"""

from .core import STAGES, IngestError, SourceDocument
from .encoding import decode_text
from .given import MetadataError, MetadataOptions, load_metadata
from .reader import read_documents
from .scan import CorpusFile, CorpusScan, scan_corpus, scan_selected
from .select import FileSelection
from .sniff import sniff_format
from .split import load_rules, split_documents

__all__ = [
    "STAGES",
    "CorpusFile",
    "CorpusScan",
    "FileSelection",
    "IngestError",
    "MetadataError",
    "MetadataOptions",
    "SourceDocument",
    "decode_text",
    "load_metadata",
    "load_rules",
    "read_documents",
    "scan_corpus",
    "scan_selected",
    "sniff_format",
    "split_documents",
]
