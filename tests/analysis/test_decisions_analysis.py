"""The notebook helpers for decisions, votes and interests, on the decisions fixtures extracted with the trained
model (rules only when there is none: decisions still come from the section rules)."""

from __future__ import annotations

import pytest

import pipeline
from pipeline import analysis
from pipeline.engine import run_extract
from tests.helpers import MODEL, REPO


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("decisions") / "out"
    run_extract(REPO / "tests" / "fixtures" / "decisions", out, str(MODEL) if MODEL.is_dir() else None)
    return pipeline.load(out)


def test_the_three_tables_load_with_their_dtypes(tables):
    assert str(tables["decisions"].votes_for.dtype) == "Int64"
    assert str(tables["decisions"].tally_consistent.dtype) == "boolean"
    assert list(tables["decisions"].outcome.cat.categories[:5]) == analysis.decisions.OUTCOMES
    assert str(tables["interests"].withdrew.dtype) == "boolean"
    assert list(tables["votes"].vote.cat.categories) == ["for", "against", "abstain", "did_not_vote"]


def test_decisions_per_committee_counts_outcomes(tables):
    per_committee = analysis.decisions_per_committee(tables)
    assert per_committee.decisions.sum() == len(tables["decisions"]) == 9
    assert per_committee[analysis.decisions.OUTCOMES].sum().to_dict() == {
        "approved": 4,
        "noted": 1,
        "deferred": 1,
        "refused": 1,
        "amended": 1,
    }


@pytest.mark.skipif(not MODEL.is_dir(), reason="votes and interests need the trained NER's PERSON mentions")
def test_a_members_voting_record_and_interests_by_organisation(tables):
    record = analysis.voting_record(tables, "Reed")
    assert list(record.vote) == ["against", "against"] and record.decision.notna().all()
    by_member = analysis.votes_by_member(tables).set_index("person")
    assert by_member.loc["Ann Hale", "for"] == 1
    orgs = analysis.interests_by_organisation(tables)
    assert orgs.declarations.sum() == len(tables["interests"]) >= 3
