"""Bytes -> text for plain-text (and HTML) files: BOMs, UTF-16 without a BOM, UTF-8, Windows-1252 and the rest.

Cheap, certain cases are decided first (a byte-order mark, a UTF-16 byte pattern, a strict UTF-8 decode);
charset-normalizer is asked only when the bytes are neither. UK council files that fail strict UTF-8 are
nearly always Windows-1252, or UTF-8 with a few Windows-1252 bytes pasted in from Word, so:
- if the file holds any valid multi-byte UTF-8 sequence, it is decoded as UTF-8 and each undecodable byte
  alone falls back to Windows-1252 (the UTF-8 text is never lost), encoding "utf-8+cp1252";
- otherwise charset-normalizer chooses, and Windows-1252 wins whenever it reads the bytes as well as the
  best guess (short texts otherwise get exotic code pages such as cp1006).
"""

from __future__ import annotations

import codecs
import re

from .core import IngestError

_BOMS = (  # UTF-32 first: its LE mark begins with the UTF-16 LE mark
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Windows-1252 as browsers read it: its five undefined bytes map to the same code point (as Latin-1 does).
_CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)}


def _cp1252_fallback(exc: UnicodeError):
    """Codec error handler: replace ONE undecodable byte by its Windows-1252 reading and resume UTF-8 after it."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return _CP1252[exc.object[exc.start]], exc.start + 1


codecs.register_error("minutes_cp1252", _cp1252_fallback)

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# C0 controls that never occur in text (tab, LF, VT, FF, CR are layout; NUL is counted on its own)
_CONTROL_BYTES = bytes(list(range(1, 9)) + list(range(14, 32)) + [127])


def binary_reason(data: bytes) -> str | None:
    """Why these bytes are not text (many NULs or control bytes), or None. Call only after ruling out UTF-16/32."""
    n = len(data)
    nuls = data.count(0)
    if nuls > max(8, n // 1000):
        return f"binary file ({nuls:,} NUL bytes in {n:,} bytes)"
    controls = n - len(data.translate(None, _CONTROL_BYTES))
    if controls > max(8, n // 100):
        return f"binary file ({controls:,} control bytes in {n:,} bytes)"
    return None


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when the bytes start with a byte-order mark."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the NUL pattern of mostly-Latin UTF-16 shows, else None."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    half = len(sample) // 2
    even_nul = sample[0::2].count(0) / half
    odd_nul = sample[1::2].count(0) / half
    if odd_nul >= 0.3 and even_nul <= 0.05:
        return "utf-16-le"
    if even_nul >= 0.3 and odd_nul <= 0.05:
        return "utf-16-be"
    return None


def _decode_unicode(data: bytes, codec: str, why: str) -> str:
    """Decode a UTF-16/32 payload; a stray bad unit (e.g. a truncated last byte) is replaced, garbage is an error."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") > max(2, len(text) // 100):
            raise IngestError("decode", f"{why} but the bytes are not valid {codec.upper()}") from None
        return text


def _controls_share(text: str) -> float:
    sample = text[:4096]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\v\f\r")
    return bad / max(1, len(sample))


def _charset_normalizer(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding.startswith(("utf_16", "utf_32")) and 0 not in data:
        best = None  # UTF-16 of Western text has NULs; on tiny inputs charset-normalizer guesses it anyway
    cp = from_bytes(data, cp_isolation=["cp1252"]).best()
    if cp is not None and (best is None or (cp.chaos <= best.chaos + 0.05 and cp.coherence >= best.coherence - 0.1)):
        return data.decode("cp1252", errors="minutes_cp1252"), "cp1252"
    if best is not None:
        return str(best), codecs.lookup(best.encoding).name
    # nothing convincing: Windows-1252 reads every byte and is the likeliest for UK documents
    return data.decode("cp1252", errors="minutes_cp1252"), "cp1252"


def clean_text(text: str) -> str:
    """What every reader does to its text: drop a BOM, normalise line endings, remove stray NULs."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes. Returns (text, encoding); raises IngestError("detect") for binary data."""
    found = bom_encoding(data)
    if found:
        codec, skip = found
        if codec == "utf-8":
            return clean_text(data[skip:].decode("utf-8", errors="minutes_cp1252")), "utf-8-sig"
        return clean_text(
            _decode_unicode(data[skip:], codec, f"the file starts with a {codec.upper()} byte-order mark")
        ), codec
    codec = utf16_without_bom(data)
    if codec:
        try:
            text = data[: len(data) - len(data) % 2].decode(codec)
        except UnicodeDecodeError:
            text = None
        if text is not None and _controls_share(text) < 0.01:
            return clean_text(text), codec
    reason = binary_reason(data)
    if reason:
        raise IngestError("detect", reason)
    try:
        return clean_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        # mostly UTF-8 with Windows-1252 bytes pasted in: keep every valid UTF-8 character
        return clean_text(data.decode("utf-8", errors="minutes_cp1252")), "utf-8+cp1252"
    text, encoding = _charset_normalizer(data)
    return clean_text(text), encoding
