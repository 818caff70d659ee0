"""A small HTML tree for checking pages without a browser (stdlib html.parser): elements with their tag,
attributes, children and text, enough to ask "does every href='#x' have an element id='x'"."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

VOID = {"meta", "br", "wbr", "img", "input", "link", "hr", "source", "area", "base", "col", "embed", "track"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: Element | None = None
    children: list = field(default_factory=list)  # Element or str

    def text(self, skip: tuple[str, ...] = ()) -> str:
        """The text inside, leaving out elements of the classes in `skip` (e.g. "lbl", a mention's label)."""
        return "".join(
            c if isinstance(c, str) else "" if c.classes() & set(skip) else c.text(skip) for c in self.children
        )

    def iter(self, tag: str | None = None):
        if tag is None or self.tag == tag:
            yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.iter(tag)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def find(self, tag: str, cls: str | None = None) -> Element:
        for e in self.iter(tag):
            if cls is None or cls in e.classes():
                return e
        raise AssertionError(f"no <{tag} class={cls!r}>")


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.node)
        self.node.children.append(element)
        if tag not in VOID:
            self.node = element

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Element(tag, dict(attrs), self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"</{tag}> closes nothing"
        self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def parse(page: str) -> Element:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    return builder.root


def ids(root: Element) -> list[str]:
    return [e.attrs["id"] for e in root.iter() if "id" in e.attrs]


def unresolved_links(root: Element) -> list[str]:
    """href='#x' whose x is no element's id (fragments compared percent-decoded, as browsers do)."""
    known = set(ids(root))
    hrefs = [e.attrs.get("href") or "" for e in root.iter("a")]
    return [h for h in hrefs if h.startswith("#") and unquote(h[1:]) not in known]
