"""Format detection by content. The extension only breaks ties the bytes leave open.

Strong signatures win over any name: %PDF -> pdf, a zip holding word/document.xml -> docx, so a PDF named
.txt is read as a PDF. A name that claims a binary format (.pdf, .docx) for bytes without its signature is
taken at its word, so that reader reports a clear parse error ("not a zip archive") instead of the bytes
being read as something else. Text is HTML when it opens like an HTML page or carries HTML tags
(ModernGov's <AI1> item markers in plain-text minutes are not HTML tags).
"""

from __future__ import annotations

import io
import re
import zipfile

from .core import IngestError
from .encoding import binary_reason, bom_encoding, utf16_without_bom

# Formats we recognise only to name them in the error.
_UNSUPPORTED_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (.doc/.xls); save it as .docx or PDF"),
    (b"{\\rtf", "an RTF document; save it as .docx or PDF"),
    (b"\x7fELF", "an executable"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|title|meta|link|p|div|span|table|tbody|tr|td|th|br|hr|a|ul|ol|li|h[1-6]|script|style|"
    r"strong|em|b|i|img|section|article|header|footer|nav|form|input)\b[^<>]{0,500}>",
    re.IGNORECASE,
)
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


def _text_prefix(data: bytes, n: int = 65536) -> str:
    """Enough of the text to look for tags: tags are ASCII, so Latin-1 works for any 8-bit encoding."""
    found = bom_encoding(data)
    codec = found[0] if found else utf16_without_bom(data)
    skip = found[1] if found else 0
    if codec and codec != "utf-8":
        return data[skip : skip + n * 4].decode(codec, errors="ignore")
    return data[skip : skip + n].decode("latin-1")


def opens_as_html_page(data: bytes) -> bool:
    """Whether the text opens like an HTML page (a doctype, <html>, <head> or <body> first)."""
    return bool(_HTML_START.match(_text_prefix(data)))


def sniff_format(data: bytes, suffix: str) -> str:
    """'txt' | 'html' | 'pdf' | 'docx' for these bytes; IngestError("detect") for anything else."""
    suffix = (suffix or "").lower()
    if suffix and not suffix.startswith("."):
        suffix = "." + suffix
    if b"%PDF-" in data[:1024]:  # the PDF spec lets junk precede the header
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except Exception:  # BadZipFile, truncation, "zip file version 17.8" (NotImplementedError), …
            if suffix in (".docx", ".docm", ".dotx"):
                return "docx"  # the docx reader reports the broken zip as a parse error
            raise IngestError("detect", "a zip archive that cannot be opened (corrupt or truncated)") from None
        if "word/document.xml" in names or suffix in (".docx", ".docm", ".dotx"):
            return "docx"
        raise IngestError(
            "detect", "a zip archive that is not a Word document (.xlsx, .pptx, .odt, … are not supported)"
        )
    for magic, what in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise IngestError("detect", f"unsupported file type: {what}")
    if suffix == ".pdf":
        return "pdf"  # claims to be a PDF but has no %PDF header: the PDF reader says so
    if suffix in (".docx", ".docm", ".dotx"):
        return "docx"
    if not (bom_encoding(data) or utf16_without_bom(data)):
        reason = binary_reason(data)
        if reason:
            raise IngestError("detect", reason)
    prefix = _text_prefix(data)
    if _HTML_START.match(prefix):
        return "html"
    tags = len(_HTML_TAG.findall(prefix))
    if suffix in HTML_SUFFIXES and tags >= 1:
        return "html"
    if tags >= 5:  # plain text does not carry several real HTML tags
        return "html"
    return "txt"
