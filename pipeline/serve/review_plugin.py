"""Datasette plugin: every doc_id cell links to its document's row and to its review page (on the documents
table, whose doc_id is the row link, the source_path cell carries the review link), and a little CSS.

The review page is `minutes show DOC_ID --tables OUT --out PAGE` (the CLI, so the page is whatever `minutes show`
renders today), run the first time a page is asked for at `/-/review/<doc_id>` and kept in the pages folder
until the database is rebuilt. Settings come from the metadata's plugins."minutes-review": database, tables,
pages, python.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from .metadata import PLUGIN

DOC_ID = re.compile(r"[0-9a-f]{16}-\d+")  # schema.make_doc_id: nothing else reaches a path or a command
ROUTE = "/-/review/"
CSS_ROUTE = "/-/minutes.css"
RENDER_SECONDS = 300
# a table's column descriptions as a compact two-column list: Datasette stacks them, a screen per table
CSS = """dl.column-descriptions { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 1.2em;
  font-size: 0.85rem; margin: 0.5em 0 1em; }
dl.column-descriptions dt { font-weight: bold; }
dl.column-descriptions dd { margin: 0; }
a.minutes-review { font-size: 0.85em; white-space: nowrap; }
"""


def _settings(datasette) -> dict:
    return datasette.plugin_config(PLUGIN) or {}


def _doc_id_of(row, value, column: str, table: str | None):
    """The doc_id a cell stands for: a doc_id cell (a plain value, or a foreign key Datasette expanded to
    value and label), or documents.source_path, since the documents table shows its key as the row link."""
    if column == "doc_id":
        return value.get("value") if isinstance(value, dict) else value
    if column == "source_path" and table == "documents":
        try:
            return row["doc_id"]
        except (IndexError, KeyError):  # a page that selected only some columns
            return None
    return None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    settings = _settings(datasette)
    if database != settings.get("database"):
        return None
    doc_id = _doc_id_of(row, value, column, table)
    if not isinstance(doc_id, str) or not DOC_ID.fullmatch(doc_id):
        return None
    review = escape(datasette.urls.path(ROUTE + doc_id))
    link = f'<a class="minutes-review" href="{review}" title="the text with every row\'s span">review page</a>'
    if column == "source_path":
        return Markup(f"{escape(value)} {link}")
    label = value.get("label") if isinstance(value, dict) else None
    row_url = escape(datasette.urls.row(database, "documents", tilde_encode(doc_id)))
    shown = f"{escape(label)}&nbsp;<em>{escape(doc_id)}</em>" if label else escape(doc_id)
    return Markup(f'<a href="{row_url}">{shown}</a> {link}')


async def _render(settings: dict, doc_id: str, page: Path) -> str | None:
    """Run `minutes show` into page; None when it worked, else its last line of error."""
    page.parent.mkdir(parents=True, exist_ok=True)
    tmp = page.with_name(f".{page.name}.{uuid.uuid4().hex}.tmp")
    command = [settings["python"], "-m", "pipeline.cli", "show", doc_id, "--tables", settings["tables"]]
    proc = await asyncio.create_subprocess_exec(
        *command, "--out", str(tmp), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(), RENDER_SECONDS)
    except TimeoutError:
        proc.kill()
        return f"minutes show took more than {RENDER_SECONDS} s"
    if proc.returncode != 0 or not tmp.is_file():
        tmp.unlink(missing_ok=True)
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"minutes show exited with status {proc.returncode}"
    os.replace(tmp, page)
    return None


async def review_page(datasette, request):
    settings = _settings(datasette)
    doc_id = request.url_vars["doc_id"]
    if not DOC_ID.fullmatch(doc_id):
        return Response.text(f"not a doc_id: {doc_id}", status=404)
    found = await datasette.get_database(settings["database"]).execute(
        "select 1 from documents where doc_id = ?", [doc_id]
    )
    if not found.rows:
        return Response.text(f"no document {doc_id} in these tables", status=404)
    page = Path(settings["pages"]) / f"{doc_id}.html"
    if not page.is_file():
        error = await _render(settings, doc_id, page)
        if error:
            return Response.text(f"could not render the review page of {doc_id}: {error}", status=500)
    return Response.html(page.read_text(encoding="utf-8"))


async def stylesheet():
    return Response(CSS, content_type="text/css; charset=utf-8")


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path(CSS_ROUTE)]


@hookimpl
def register_routes():
    return [
        (r"^" + re.escape(ROUTE) + r"(?P<doc_id>[^/]+)$", review_page),
        (r"^" + re.escape(CSS_ROUTE) + r"$", stylesheet),
    ]
