"""Decisions, votes and interests for the notebooks (04-decisions) and the README: per committee over time,
a member's voting record, interests by organisation."""

from __future__ import annotations

import pandas as pd

from .meetings import with_meeting

OUTCOMES = ["approved", "noted", "deferred", "refused", "amended"]


def decisions_per_committee(tables: dict) -> pd.DataFrame:
    """Per committee and meeting: decisions, how many of each outcome, how many went to a vote."""
    decisions = with_meeting(tables["decisions"], tables)
    columns = ["committee", "meeting_date", "decisions", *OUTCOMES, "put_to_a_vote"]
    if not len(decisions):
        return pd.DataFrame(columns=columns)
    decisions = decisions.assign(committee=decisions.committee.astype(object).fillna("(committee not found)"))
    counts = pd.crosstab(
        [decisions.committee, decisions.meeting_date], decisions.outcome.astype(object).fillna("not stated")
    )
    table = counts.reindex(columns=[*OUTCOMES, "not stated"], fill_value=0)
    table.insert(0, "decisions", table.sum(axis=1))
    voted = decisions.assign(voted=decisions.carried.astype(object) == "vote")
    table["put_to_a_vote"] = voted.groupby(["committee", "meeting_date"], dropna=False).voted.sum()
    return table.reset_index().sort_values(["committee", "meeting_date"]).reset_index(drop=True)


def voting_record(tables: dict, name: str | None = None) -> pd.DataFrame:
    """Every named vote (of the people whose name contains `name`, case ignored), with the decision voted on."""
    votes = with_meeting(tables["votes"], tables)
    if name:
        votes = votes[votes.person.str.contains(name, case=False, regex=False)]
    decisions = tables["decisions"][["decision_id", "text", "outcome"]].rename(columns={"text": "decision"})
    merged = votes.merge(decisions, on="decision_id", how="left")
    columns = ["person", "person_id", "vote", "committee", "meeting_date", "item_number", "decision", "outcome"]
    return merged[columns].sort_values(["person", "meeting_date", "item_number"]).reset_index(drop=True)


def votes_by_member(tables: dict) -> pd.DataFrame:
    """Per member: named votes for, against, abstained, did not vote."""
    votes = tables["votes"]
    if not len(votes):
        return pd.DataFrame(columns=["person", "for", "against", "abstain", "did_not_vote"])
    counts = pd.crosstab(votes.person, votes.vote.astype(object))
    return counts.reindex(columns=["for", "against", "abstain", "did_not_vote"], fill_value=0).reset_index()


def interests_by_organisation(tables: dict) -> pd.DataFrame:
    """Declarations of interest grouped by the organisation the reason names (an ORG mention inside the stated
    reason, else the reason's words), with who declared and the kinds."""
    interests = with_meeting(tables["interests"], tables)
    columns = ["organisation", "declarations", "people", "kinds", "withdrew"]
    if not len(interests):
        return pd.DataFrame(columns=columns)
    orgs = tables["entities"]
    orgs = orgs[orgs.label == "ORG"][["doc_id", "text", "start_char", "end_char"]]

    def organisation(row) -> str:
        reason = row.reason if isinstance(row.reason, str) else None
        if not reason:
            return "(no reason stated)"
        inside = orgs[
            (orgs.doc_id == row.doc_id) & (orgs.start_char >= row.start_char) & (orgs.end_char <= row.end_char)
        ]
        named = [text for text in inside.text if text in reason]
        return named[0] if named else reason

    interests = interests.assign(organisation=interests.apply(organisation, axis=1))
    grouped = interests.groupby("organisation")
    return (
        pd.DataFrame(
            {
                "declarations": grouped.size(),
                "people": grouped.person.agg(lambda s: ", ".join(sorted(set(s)))),
                "kinds": grouped.kind.agg(lambda s: ", ".join(sorted(set(map(str, s))))),
                "withdrew": grouped.withdrew.sum(),
            }
        )
        .reset_index()
        .sort_values(["declarations", "organisation"], ascending=[False, True])
        .reset_index(drop=True)[columns]
    )
