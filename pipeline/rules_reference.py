"""docs/RULES.md, rendered from the rule-file schemas declared in `pipeline/rules.py` (`make dictionary`)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from .rules import SCHEMAS, Field, RuleSchema, type_names


def _default_text(f: Field) -> str:
    if f.required:
        return "required"
    if f.shown_default is not None:
        return f.shown_default
    return f"`{json.dumps(f.default)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_reference(schemas: Sequence[RuleSchema] = SCHEMAS) -> str:
    """Markdown reference of the rule files (docs/RULES.md), generated from the schemas."""
    out = [
        "# Rule files",
        "",
        "Generated from `pipeline/rules.py` by `make dictionary`; do not edit by hand.",
        "The rule files live in `pipeline/patterns/`. Every file is checked when it is loaded: an unknown key,",
        "a wrong type, a value outside its choices, a key that does not apply to the rule's type or a pattern",
        "that does not compile raises `RuleError` as `<file> line <n> (rule '<id>'): <what is wrong>`",
        "(`record <n>` in a JSON list).",
        "",
    ]
    for schema in schemas:
        out += [f"## {schema.title}: `pipeline/patterns/{schema.file_name}`", "", schema.description, ""]
        out += ["| key | type | default | description |", "| --- | --- | --- | --- |"]
        for f in schema.fields:
            description = f.description
            if f.choices:
                description += " One of " + ", ".join(f"`{c}`" for c in f.choices) + "."
            if f.only_for:
                description += f" Only for `{schema.type_key}` " + " or ".join(f"`{t}`" for t in f.only_for) + "."
            out.append(f"| `{f.name}` | {type_names(f.types)} | {_cell(_default_text(f))} | {_cell(description)} |")
        out.append("")
        for note in schema.notes:
            out += [note, ""]
    return "\n".join(out).rstrip("\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the rule-file reference (docs/RULES.md).")
    parser.add_argument("--out", type=Path, default=Path("docs/RULES.md"))
    args = parser.parse_args(argv)
    args.out.write_text(rules_reference() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
