"""Ingest: bytes -> text -> documents. Every binary fixture is generated here, from invented text."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import random
import zipfile
from pathlib import Path

import pytest

from pipeline.ingest import (
    IngestError,
    SourceDocument,
    decode_text,
    docx_text,
    load_rules,
    read_documents,
    sniff_format,
    split_documents,
)
from pipeline.ingest.html_text import html_to_text
from tests.helpers import CORPUS

SEEDS = sorted(CORPUS.glob("*.txt"))


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def ingest_error(path, **kw) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_documents(path, **kw)
    return info.value


# ---------------------------------------------------------------- generated PDFs and DOCX


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], *, text_layer: bool = True) -> bytes:
    """A minimal valid PDF: one Helvetica text line per list item (or a grey box when text_layer=False)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        (
            "<< /Type /Pages /Kids [{}] /Count {} >>".format(
                " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))), len(pages)
            )
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        if text_layer:
            body = "BT /F1 11 Tf 14 TL 72 740 Td " + " ".join(f"({_pdf_escape(s)}) Tj T*" for s in lines) + " ET"
        else:
            body = "0.5 g 72 72 200 200 re f"  # drawing only: what a scan without OCR looks like to a text extractor
        content = body.encode("latin-1")
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def encrypt_pdf(pdf: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def paged_minutes() -> list[list[str]]:
    topics = ["fostering", "adoption", "youth justice", "school places"]
    return [
        [
            "Northshire County Council",
            "Cabinet - 6 June 2019",
            f"Item {i}: the report on {topic} was presented.",
            f"Members discussed the {topic} figures and the safe-",
            f"guarding arrangements for {topic}.",
            f"Resolved that the {topic} report be noted.",
            f"Page {i} of {len(topics)}",
        ]
        for i, topic in enumerate(topics, start=1)
    ]


def make_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Northshire County Council")
    d.add_paragraph("Present:")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Ann Example"
    table.cell(0, 1).text = "Chair"
    table.cell(1, 0).text = "Ben Sample"
    table.cell(1, 1).text = "Director of Children's Services"
    d.add_paragraph("1. Apologies")
    d.add_paragraph("Apologies were received from Cath Test.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- seeds


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_is_one_document_with_exact_text(seed):
    docs = read_documents(seed)
    data = seed.read_bytes()
    assert len(docs) == 1
    doc = docs[0]
    assert doc.text == data.decode("utf-8")
    assert (doc.source_path, doc.part, doc.format, doc.encoding) == (str(seed), 0, "txt", "utf-8")
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_there_are_five_seeds():
    assert len(SEEDS) == 5


def test_source_document_is_frozen_and_path_kept_as_given(tmp_path):
    p = write(tmp_path, "a.txt", "Some minutes.\n")
    doc = read_documents(str(p))[0]
    assert isinstance(doc, SourceDocument) and doc.source_path == str(p)
    with pytest.raises(AttributeError):  # a frozen dataclass
        doc.text = "changed"  # type: ignore[misc]


# ---------------------------------------------------------------- encodings

SAMPLE = "The Chair’s report – £1.2m overspend; café “quoted”.\nSecond line\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # no BOM: the NUL pattern gives it away
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + SAMPLE.encode("utf-32-le"), "utf-32-le"),
        (SAMPLE.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32le-bom", "cp1252"],
)
def test_encodings_detected(data, encoding):
    text, found = decode_text(data)
    assert text == SAMPLE
    assert found == encoding


def test_short_cp1252_is_not_an_exotic_code_page():
    assert decode_text("Short café".encode("cp1252")) == ("Short café", "cp1252")
    assert decode_text("£5".encode("cp1252"))[0] == "£5"


def test_cp1252_bytes_in_utf8_file_keep_the_utf8_text():
    data = "Café – UTF-8 text “here”.\n".encode() + "The Chair’s report cost £5 – agreed.\n".encode("cp1252")
    text, encoding = decode_text(data)
    assert text == "Café – UTF-8 text “here”.\nThe Chair’s report cost £5 – agreed.\n"
    assert encoding == "utf-8+cp1252"


def test_line_endings_normalised_and_bom_stripped():
    text, _ = decode_text(b"\xef\xbb\xbfone\r\ntwo\rthree\n")
    assert text == "one\ntwo\nthree\n"


def test_layout_whitespace_kept_exactly(tmp_path):
    original = "\tIndented\u00a0text with trailing spaces   \n  \n\x0cForm feed line\t\n"
    doc = read_documents(write(tmp_path, "w.txt", original))[0]
    assert doc.text == original


def test_stray_nuls_removed():
    assert decode_text(b"Minutes\x00 of the\x00 meeting\n")[0] == "Minutes of the meeting\n"


def test_many_nuls_is_binary(tmp_path):
    err = ingest_error(write(tmp_path, "b.txt", b"abc" + b"\x00" * 200 + b"def" * 50))
    assert err.stage == "detect" and err.message.startswith("binary file (")


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + bytes(200), random.Random(7).randbytes(4096), bytes(range(1, 32)) * 40],
    ids=["png", "random", "controls"],
)
def test_binary_data_is_refused(tmp_path, data):
    assert ingest_error(write(tmp_path, "x.txt", data)).stage == "detect"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n ", b"\xef\xbb\xbf", b"\xff\xfe" + " \n ".encode("utf-16-le")])
def test_empty_file(tmp_path, data):
    err = ingest_error(write(tmp_path, "e.txt", data))
    assert (err.stage, err.message) == ("read", "empty file")


def test_missing_file_is_a_read_error(tmp_path):
    assert ingest_error(tmp_path / "nope.txt").stage == "read"


# ---------------------------------------------------------------- limits


def test_file_over_max_bytes(tmp_path):
    p = tmp_path / "big.txt"
    with open(p, "wb") as fh:
        fh.truncate(52_400_000)  # sparse: refused from its size, never read
    err = ingest_error(p)
    assert (err.stage, err.message) == ("limit", "file is 52.4 MB, over the 50 MB limit")


def test_document_over_max_chars(tmp_path):
    err = ingest_error(write(tmp_path, "long.txt", "word " * 100), max_chars=50)
    assert err.stage == "limit" and "50" in err.message


def test_ingest_error_pickles():
    err = pickle.loads(pickle.dumps(IngestError("parse", "corrupt PDF")))
    assert (err.stage, err.message, str(err)) == ("parse", "corrupt PDF", "parse: corrupt PDF")


# ---------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head><title>Head title</title><style>p { color: red }</style><script>var head = 1;</script></head>
<body>
<script>document.write("script text")</script><noscript>Enable JavaScript</noscript>
<iframe src="https://example.invalid/">iframe text</iframe><template><p>template text</p></template>
<h1>Highways Committee - Tuesday, 4th June, 2019 2.00 pm</h1>
<p>Venue: Room&nbsp;B &amp; C, County Hall. Cost &pound;5 &ndash; agreed.</p>
<div>Line one<br>Line two</div>
<table><tr><th>No.</th><th>Item</th></tr><tr><td>4.</td><td>Budget   Monitoring</td></tr></table>
<ul><li>First point</li><li>Second <b>bold</b> point</li></ul>
<p hidden>hidden text</p><span style="display: none">also hidden</span>
</body></html>"""


def test_html_visible_text_and_blocks(tmp_path):
    doc = read_documents(write(tmp_path, "page.html", PAGE))[0]
    assert doc.format == "html" and doc.encoding == "utf-8"
    lines = doc.text.split("\n")
    for gone in (
        "Head title",
        "color",
        "var head",
        "script text",
        "Enable JavaScript",
        "iframe text",
        "template text",
        "hidden",
    ):
        assert gone not in doc.text
    assert lines[0] == "Highways Committee - Tuesday, 4th June, 2019 2.00 pm"
    assert "Venue: Room\u00a0B & C, County Hall. Cost £5 – agreed." in lines
    assert "Line one" in lines and "Line two" in lines
    assert "No.\tItem" in lines and "4.\tBudget Monitoring" in lines
    assert "First point" in lines and "Second bold point" in lines
    assert "\n\n\n" not in doc.text


def test_html_deeply_nested_does_not_crash():
    deep = "<html><body>" + "<div>" * 20_000 + "deep text" + "</div>" * 20_000 + "<p>after</p></body></html>"
    text = html_to_text(deep)
    assert "deep text" in text and text.endswith("after")


def test_html_malformed_best_effort():
    text = html_to_text("<p>Minutes <b>of the<p>meeting <table><tr><td>Ann<td>Chair</table> end")
    assert "Minutes of the" in text and "meeting" in text and "Ann\tChair" in text


def test_html_meta_charset_cp1252(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>The Chair’s £5 café</p></body></html>'
    doc = read_documents(write(tmp_path, "p.htm", page.encode("cp1252")))[0]
    assert doc.text == "The Chair’s £5 café" and doc.encoding == "cp1252"


def test_html_utf16_without_bom(tmp_path):
    page = "<html><body><p>Café – £5</p><p>Second</p></body></html>"
    doc = read_documents(write(tmp_path, "u.html", page.encode("utf-16-le")))[0]
    assert (doc.text, doc.encoding) == ("Café – £5\n\nSecond", "utf-16-le")


def test_html_without_visible_text(tmp_path):
    err = ingest_error(
        write(tmp_path, "blank.html", "<html><head><title>x</title></head><body><script>1</script></body></html>")
    )
    assert err.stage == "parse"


# ---------------------------------------------------------------- PDF


def test_pdf_headers_footers_removed_and_hyphenation_joined(tmp_path):
    doc = read_documents(write(tmp_path, "m.pdf", make_pdf(paged_minutes())))[0]
    assert doc.format == "pdf" and doc.encoding is None
    assert "Northshire County Council" not in doc.text
    assert "Cabinet - 6 June 2019" not in doc.text
    assert "Page" not in doc.text
    assert "safeguarding arrangements for fostering" in doc.text
    assert "safe-" not in doc.text
    assert doc.text.count("\n\n") == 3  # four pages joined by blank lines
    assert doc.text.startswith("Item 1: the report on fostering was presented.")


def test_pdf_two_pages_keep_their_headers():
    from pipeline.ingest.pdf_text import pdf_to_text

    # under 3 pages there is no evidence a line is a running header
    text = pdf_to_text(
        make_pdf([["Northshire County Council", "First page"], ["Northshire County Council", "Second page"]])
    )
    assert text.count("Northshire County Council") == 2


def test_pdf_that_is_all_running_header(tmp_path):
    err = ingest_error(write(tmp_path, "same.pdf", make_pdf([["Northshire County Council", "Page 1"]] * 3)))
    assert err.stage == "parse" and "headers and footers" in err.message


def test_pdf_hyphen_across_page_break():
    from pipeline.ingest.pdf_text import pdf_to_text

    assert pdf_to_text(make_pdf([["the safe-"], ["guarding board met"]])) == "the safeguarding board met"
    assert pdf_to_text(make_pdf([["Item 4 -"], ["Budget"]])) == "Item 4 -\n\nBudget"  # not a hyphenated word


def test_pdf_corrupt(tmp_path):
    for i, data in enumerate([b"%PDF-1.4\ngarbage garbage\n", make_pdf(paged_minutes())[:400]]):
        err = ingest_error(write(tmp_path, f"bad{i}.pdf", data))
        assert err.stage == "parse"


def test_pdf_named_pdf_without_header(tmp_path):
    err = ingest_error(write(tmp_path, "fake.pdf", "just some text"))
    assert err.stage == "parse" and "%PDF" in err.message


def test_pdf_encrypted_with_password(tmp_path):
    err = ingest_error(write(tmp_path, "locked.pdf", encrypt_pdf(make_pdf(paged_minutes()), "secret")))
    assert err.stage == "parse" and err.message.startswith("encrypted PDF")


def test_pdf_encrypted_with_empty_password_is_read(tmp_path):
    doc = read_documents(write(tmp_path, "open.pdf", encrypt_pdf(make_pdf(paged_minutes()), "")))[0]
    assert "Item 1: the report on fostering was presented." in doc.text


def test_pdf_without_text_layer(tmp_path):
    err = ingest_error(write(tmp_path, "scan.pdf", make_pdf([["x"], ["y"]], text_layer=False)))
    assert (err.stage, err.message) == ("parse", "PDF has no text layer (scanned image?)")


# ---------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    doc = read_documents(write(tmp_path, "m.docx", make_docx()))[0]
    assert doc.format == "docx" and doc.encoding is None
    assert doc.text == (
        "Northshire County Council\nPresent:\nAnn Example\tChair\nBen Sample\tDirector of Children's Services\n"
        "1. Apologies\nApologies were received from Cath Test."
    )


def test_docx_not_a_zip(tmp_path):
    for i, data in enumerate([b"this is not a zip file at all", b"PK\x03\x04" + b"\x00garbage" * 10]):
        err = ingest_error(write(tmp_path, f"bad{i}.docx", data))
        assert err.stage == "parse" and "zip" in err.message


def test_docx_zip_bomb_ratio(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * 20_000_000)
    err = ingest_error(write(tmp_path, "bomb.docx", buf.getvalue()))
    assert err.stage == "limit" and "ratio" in err.message


def test_docx_zip_bomb_total_size(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_text, "MAX_UNCOMPRESSED", 1_000_000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", random.Random(1).randbytes(1_500_000))
    err = ingest_error(write(tmp_path, "big.docx", buf.getvalue()))
    assert err.stage == "limit" and "unpacks to 1.5 MB" in err.message


# ---------------------------------------------------------------- format sniffing


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    doc = read_documents(write(tmp_path, "minutes.txt", make_pdf(paged_minutes())))[0]
    assert doc.format == "pdf"


def test_docx_named_txt_is_read_as_docx(tmp_path):
    assert read_documents(write(tmp_path, "minutes.txt", make_docx()))[0].format == "docx"


def test_sniff_format():
    assert sniff_format(make_pdf(paged_minutes()), ".html") == "pdf"
    assert sniff_format(make_docx(), "") == "docx"
    assert sniff_format(PAGE.encode(), ".txt") == "html"
    assert sniff_format(b"Plain minutes text, no tags.\n", ".html") == "txt"
    assert sniff_format(b"<AI1>\n\t1.\n\tApologies\n</AI1>\n", ".txt") == "txt"  # ModernGov markers
    assert sniff_format(b"<p>One paragraph</p>", ".htm") == "html"
    assert sniff_format(b"\xef\xbb\xbf<!doctype html><title>x</title>", "") == "html"
    assert sniff_format(("<html><body><p>x</p></body></html>").encode("utf-16"), ".txt") == "html"


@pytest.mark.parametrize(
    "data",
    [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), b"{\\rtf1\\ansi hello}", b"GIF89a" + bytes(50)],
    ids=["ole-doc", "rtf", "gif"],
)
def test_sniff_unsupported(data):
    with pytest.raises(IngestError) as info:
        sniff_format(data, ".doc")
    assert info.value.stage == "detect"


def test_sniff_zip_that_is_not_word():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(IngestError) as info:
        sniff_format(buf.getvalue(), ".xlsx")
    assert info.value.stage == "detect"


# ---------------------------------------------------------------- document splitting

MINUTES_A = """
Northshire County Council

Adult Services Scrutiny Committee
Minutes of the Meeting held on Monday, 3rd June, 2019 at 10.00 am in Room 1, County Hall, Northtown
Present:

County Councillor Ann Example (Chair)

<AI1>
\t1.
\tApologies

Apologies were received from County Councillor Ben Sample.
</AI1>

<AI2>
\t2.
\tMinutes of the Meeting held on 1 April 2019

Resolved: That the minutes of the meeting held on 1 April 2019 be confirmed and signed by the Chair.
</AI2>
"""

MINUTES_B = """Northshire County Council

Cabinet
Minutes of a meeting of the Cabinet held on Thursday, 6th June, 2019 at 2.00 pm in Room 2, County Hall, Northtown
Present:

County Councillor Dan Demo (Chair)

1. Budget monitoring

The Cabinet noted an overspend of £1.2m.
"""

WEB_PAGE = """Agenda and minutes

Highways Committee - Tuesday, 4th June, 2019 2.00 pm

Venue: Room 3, County Hall, Northtown. View directions

Items
No. Item

1.

Minutes of the Meeting held on 7 May 2019 pdf icon PDF 54 KB

Minutes:

Resolved: That the minutes of the meeting held on 7 May 2019 be confirmed and signed by the Chair.
"""

BRIEFING = """Appendix A

Northshire County Council

Children's Services Scrutiny Committee - Briefing Session

Notes of the Briefing held on Tuesday 9th February 2016 at 11am in Room C, County Hall, Northtown

Present:
County Councillor Eve Invented
"""


def parts(text: str) -> list[str]:
    ranges = split_documents(text)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    return [text[s:e] for s, e in ranges]


def test_two_sets_of_minutes_make_two_documents(tmp_path):
    text = MINUTES_A + "\n" + MINUTES_B
    docs = read_documents(write(tmp_path, "pack.txt", text))
    assert [d.part for d in docs] == [0, 1]
    assert docs[0].text == MINUTES_A + "\n"
    assert docs[1].text == MINUTES_B
    assert docs[1].text.startswith("Northshire County Council\n\nCabinet\nMinutes of a meeting of the Cabinet held on")
    assert len({d.sha256 for d in docs}) == 1


def test_split_at_web_page_title_block():
    got = parts(MINUTES_A + WEB_PAGE)
    assert got == [MINUTES_A, WEB_PAGE]


def test_split_at_briefing_notes_keeps_appendix_label():
    got = parts(MINUTES_A + "\n" + BRIEFING)
    assert len(got) == 2 and got[1] == BRIEFING


def test_three_documents():
    got = parts(MINUTES_A + MINUTES_B + WEB_PAGE)
    assert got == [MINUTES_A, MINUTES_B, WEB_PAGE]


def test_first_header_never_splits():
    assert parts(MINUTES_B) == [MINUTES_B]
    assert parts("Cover page\n\n" + MINUTES_B) == ["Cover page\n\n" + MINUTES_B]


def test_mentions_of_minutes_do_not_split():
    # an item titled "Minutes of the Meeting held on …" (under its item number) and sentences mentioning it
    text = MINUTES_A + (
        "\n3.\nMinutes of the Meeting held on 11 October 2013\n\n"
        "Resolved: That the minutes of the meeting held on 11 October 2013 be confirmed.\n"
        "Cabinet\nMinutes of the meeting held on 11 October 2013 were agreed as a correct record.\n"
        "the minutes of the meeting held on 11 October 2013 be confirmed\n"
    )
    assert parts(text) == [text]
    assert parts(WEB_PAGE) == [WEB_PAGE]


def test_repeated_running_header_does_not_split():
    header = MINUTES_A.split("Present:")[0]
    text = MINUTES_A + header + "continued text\n"
    assert parts(text) == [text]


def test_split_ranges_tile_any_text():
    rng = random.Random(3)
    pool = (MINUTES_A + MINUTES_B + WEB_PAGE + BRIEFING).split("\n") + ["", " ", "\t", "Cabinet", "x" * 400]
    for _ in range(200):
        text = "\n".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
        parts(text)
    assert split_documents("") == [(0, 0)]


def test_rules_file_is_valid_and_validated(tmp_path):
    rules = load_rules()
    assert {r.kind for r in rules} == {"start", "block", "reject"}
    bad_cases = [
        [{"id": "x"}],
        [{"id": "x", "pattern": "("}],
        [{"id": "x", "pattern": "a", "kind": "other"}],
        {"id": "x", "pattern": "a"},
        [],
    ]
    for i, bad in enumerate(bad_cases):
        p = tmp_path / f"bad{i}.json"
        p.write_text(json.dumps(bad))
        with pytest.raises(ValueError):
            load_rules(p)
