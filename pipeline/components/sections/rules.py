"""Section rules: what a record of pipeline/patterns/sections.jsonl means, checked and compiled.

The keys, their types and defaults are declared in :data:`pipeline.rules.SECTION_RULES` (documented in
docs/RULES.md); this module adds the checks that involve several keys (a kind for every rule type but
``title_strip``, named groups that exist, ``sequential`` only on numbered item rules) and turns a record
into a :class:`SectionRule`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...rules import SECTION_RULES, RuleError, check_unique_ids, load_rule_file, rule_label

DEFAULT_PATTERNS = SECTION_RULES.path
# the top-level kinds that end the preamble (rule scopes are relative to their first start)
STRUCTURAL_KINDS = ("attendance", "apologies", "item")
_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_GROUPS = ("number", "title")


@dataclass(frozen=True)
class SectionRule:
    id: str
    type: str
    kind: str | None
    priority: int
    scope: str
    extent: str
    layout: str | None
    sequential: bool
    merge: bool
    start_group: str | None
    title: str | None
    parents: tuple[str, ...]
    parent_rules: tuple[str, ...]
    until: tuple[str, ...]
    regex: re.Pattern = field(compare=False)
    source: dict = field(compare=False, repr=False)


def validate_rule(record: Any, where: str = "rule", index: int = 0) -> SectionRule:
    """Check one rule record and compile it. Raises RuleError naming `where` and the rule id."""
    values = SECTION_RULES.check(record, where)
    label = rule_label(where, values["id"])
    rule_type = values["type"]
    kind = values["kind"]
    if rule_type in ("title_strip", "item_number"):
        if kind is not None:
            raise RuleError(f"{label}: {rule_type!r} rules have no 'kind'")
    elif kind is None:
        raise RuleError(f"{label}: missing required key 'kind'")
    elif not _KIND_RE.match(kind):
        raise RuleError(
            f"{label}: 'kind' must be a lowercase identifier like 'item' or 'attendance_group', got {kind!r}"
        )
    regex = SECTION_RULES.compile(values["pattern"], values["flags"], label)
    groups = set(regex.groupindex)
    start_group = values["start_group"]
    if start_group is not None and start_group not in groups:
        raise RuleError(f"{label}: 'start_group' {start_group!r} is not a named group of the pattern")
    unknown_groups = groups - set(_GROUPS) - {start_group}
    if unknown_groups and rule_type in ("section", "nested"):
        raise RuleError(f"{label}: unknown named group(s) {sorted(unknown_groups)}; use 'number' and 'title'")
    if rule_type == "item_number" and "number" not in groups:
        raise RuleError(f"{label}: 'item_number' rules need a named group 'number'")
    if values["sequential"] and ("number" not in groups or kind != "item"):
        raise RuleError(f"{label}: 'sequential' needs an item rule with a named group 'number'")
    for key in ("parents", "parent_rules", "until"):
        if values[key] is not None and any(not v for v in values[key]):
            raise RuleError(f"{label}: {key!r} must hold non-empty strings")
    return SectionRule(
        id=values["id"] or f"{kind or rule_type}_{index}",
        type=rule_type,
        kind=kind,
        priority=values["priority"],
        scope=values["scope"],
        extent=values["extent"],
        layout=values["layout"],
        sequential=values["sequential"],
        merge=values["merge"],
        start_group=start_group,
        title=values["title"],
        parents=tuple(values["parents"] if values["parents"] is not None else ["item"]),
        parent_rules=tuple(values["parent_rules"] or ()),
        until=tuple(values["until"] if values["until"] is not None else [kind]),
        regex=regex,
        source=dict(record),
    )


def check_unique(rules: list[SectionRule], where: str) -> None:
    """RuleError at the second of two rules with one id (`where` names their origin, e.g. "add_rule")."""
    check_unique_ids((f"{where} (rule #{i + 1})", rule.id) for i, rule in enumerate(rules))


def load_rules(path: str | Path | None = None) -> list[SectionRule]:
    """Validated rules of a JSONL file (default: the packaged sections.jsonl)."""
    return load_rule_file(SECTION_RULES, validate_rule, path)
