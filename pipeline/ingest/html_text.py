"""HTML -> visible text, with block structure kept as line breaks and table rows as tab-separated lines.

BeautifulSoup over lxml's HTML parser (no network, no DTD loading, entities decoded by the parser). The tree is
walked with an explicit stack, never recursively, so a page nested 20,000 levels deep cannot raise
RecursionError; if the parser itself fails, a flat regex extraction still gives best-effort text.
"""

from __future__ import annotations

import codecs
import html as html_lib
import re

from bs4 import BeautifulSoup
from bs4.element import CData, NavigableString, PreformattedString, Tag

from .core import IngestError
from .encoding import bom_encoding, clean_text, decode_text, utf16_without_bom

# Never visible: their text is code, metadata or embedded documents.
DROP = {"script", "style", "noscript", "iframe", "template", "head", "svg", "object", "embed", "canvas"}
# Separator levels: a later, stronger request wins over a weaker one between two pieces of text.
_SPACE, _TAB, _LINE, _PARA = 1, 2, 3, 4
_SEPARATORS = {0: "", _SPACE: " ", _TAB: "\t", _LINE: "\n", _PARA: "\n\n"}
PARA_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "figure",
    "form",
    "fieldset",
    "address",
    "hr",
    "details",
}
LINE_BLOCKS = {"div", "li", "tr", "dt", "dd", "caption", "figcaption", "legend", "summary", "option"}
CELLS = {"td", "th"}

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; a non-breaking space is text and stays
_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def decode_html(data: bytes) -> tuple[str, str]:
    """HTML bytes -> (text, encoding): BOM, then strict UTF-8, then the page's own <meta charset>, then detection."""
    if bom_encoding(data) or utf16_without_bom(data):
        return decode_text(data)  # (UTF-16 of ASCII would pass a strict UTF-8 decode, NULs and all)
    try:
        return clean_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        try:
            codec = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            codec = None
        if codec in ("latin-1", "iso8859-1", "ascii", "cp1252"):
            # browsers read these labels as Windows-1252 (WHATWG); so do the pages' authors
            return clean_text(data.decode("cp1252", errors="minutes_cp1252")), "cp1252"
        if codec and codec not in ("utf-8",) and not codec.startswith(("utf-16", "utf-32")):
            return clean_text(data.decode(codec, errors="replace")), codec
    return decode_text(data)


def _hidden(tag: Tag) -> bool:
    attrs = tag.attrs or {}
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


def _walk(soup: BeautifulSoup) -> str:
    out: list[str] = []
    pending = 0  # strongest separator requested since the last piece of text
    pre_depth = 0
    end = object()  # stack marker: the element below it on the stack has just closed
    stack: list = [soup]
    while stack:
        node = stack.pop()
        if node is end:
            tag = stack.pop()
            if tag.name == "pre":
                pre_depth -= 1
            pending = max(pending, _PARA if tag.name in PARA_BLOCKS else _LINE if tag.name in LINE_BLOCKS else 0)
            continue
        if isinstance(node, Tag):
            name = (node.name or "").lower()
            if name in DROP or _hidden(node):
                continue
            if name == "br":
                pending = _PARA if pending >= _LINE else _LINE  # <br><br> makes a blank line
                continue
            if name in PARA_BLOCKS:
                pending = max(pending, _PARA)
            elif name in LINE_BLOCKS:
                pending = max(pending, _LINE)
            elif name in CELLS:
                pending = max(pending, _TAB)
            if name == "pre":
                pre_depth += 1
            if name in PARA_BLOCKS or name in LINE_BLOCKS:
                stack.append(node)
                stack.append(end)
            stack.extend(reversed(node.contents))
            continue
        if not isinstance(node, NavigableString) or (
            isinstance(node, PreformattedString) and not isinstance(node, CData)
        ):
            continue  # comments, doctype, processing instructions
        s = str(node)
        if not pre_depth:
            s = _HTML_SPACE.sub(" ", s)
            if s.startswith(" "):
                pending = max(pending, _SPACE)
            trailing = s.endswith(" ")
            s = s.strip(" ")
        else:
            trailing = False
        if s:
            if out:
                out.append(_SEPARATORS[pending])
            out.append(s)
            pending = _SPACE if trailing else 0
    return "".join(out)


_FLAT_DROP = re.compile(r"<(script|style|noscript|iframe|template|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_FLAT_BLOCK = re.compile(
    r"</?(?:p|div|li|tr|h[1-6]|br|table|section|article|header|footer|ul|ol|dl|dt|dd|blockquote|pre)\b[^>]*>",
    re.IGNORECASE,
)
_FLAT_TAG = re.compile(r"<[^>]*>")


def _flat(markup: str) -> str:
    """Last resort when the tree cannot be built or walked: drop invisible blocks, tags to breaks or nothing."""
    s = _FLAT_DROP.sub(" ", markup)
    s = re.sub(r"<!--.*?-->", " ", s, flags=re.DOTALL)
    s = _FLAT_BLOCK.sub("\n", s)
    s = _FLAT_TAG.sub(" ", s)
    s = html_lib.unescape(s)
    return "\n".join(_HTML_SPACE.sub(" ", line).strip() for line in s.split("\n"))


def _tidy(text: str) -> str:
    text = clean_text(text)
    # separators never leave spaces at line ends; what remains at a line start is <pre> indentation, so keep it
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page (already decoded)."""
    try:
        soup = BeautifulSoup(markup, "lxml")
        text = _walk(soup)
    except RecursionError:
        text = _flat(markup)
    except Exception as exc:  # lxml/bs4 reject some markup outright; keep going with the flat reading
        try:
            text = _flat(markup)
        except Exception:
            raise IngestError("parse", f"HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
    return _tidy(text)
