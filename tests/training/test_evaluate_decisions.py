"""The issue-17 scorer: decision spans matched at >= 0.8 overlap, votes and interests as triples, only over
documents marked decisions=annotated."""

from __future__ import annotations

from pipeline.training.evaluate_decisions import match_spans, score_decisions

TEXT = (
    "1. Declarations of Interest\n\n"
    "Councillor Ann Hale declared a personal interest in Item 2 as a school governor.\n\n"
    "2. Budget\n\nFor: Councillors Raj Patel and Jo Binns\nAgainst: Councillor Ann Hale\n\n"
    "Resolved: That the budget be approved.\n"
)


def _doc(nlp):
    doc = nlp(TEXT)
    spans = []
    for name in ("Ann Hale", "Raj Patel", "Jo Binns"):
        start = 0
        while (start := TEXT.find(name, start)) >= 0:
            spans.append(doc.char_span(start, start + len(name), label="PERSON"))
            start += len(name)
    doc.ents = sorted(spans, key=lambda span: span.start)
    return doc


def _record(**changes):
    start = TEXT.index("That the budget")
    record = {
        "meta": {"decisions_annotated": True},
        "decisions": [{"start": start, "end": start + len("That the budget be approved."), "outcome": "approved"}],
        "votes": [
            {"person": "Raj Patel", "vote": "for", "item": "2"},
            {"person": "Jo Binns", "vote": "for", "item": "2"},
            {"person": "Ann Hale", "vote": "against", "item": "2"},
        ],
        "interests": [{"person": "Ann Hale", "item": "2", "kind": "personal", "withdrew": False}],
    }
    record.update(changes)
    return record


def test_spans_match_one_to_one_at_eighty_percent_overlap():
    assert match_spans([(0, 100)], [(0, 80)]) == [(0, 0)]
    assert match_spans([(0, 100)], [(0, 79)]) == []
    assert match_spans([(0, 100), (200, 300)], [(0, 100), (5, 100)]) == [(0, 0)]


def test_a_document_read_right_scores_one_and_a_miss_is_counted(nlp):
    doc = _doc(nlp)
    perfect = score_decisions([_record()], [doc])
    assert {table: perfect[table]["f1"] for table in ("decisions", "votes", "interests")} == {
        "decisions": 1.0,
        "votes": 1.0,
        "interests": 1.0,
    }
    assert perfect["tallies"] == {"checked": 0, "inconsistent": 0} and perfect["documents"] == 1
    extra_vote = _record(votes=[*_record()["votes"], {"person": "Sam Ode", "vote": "abstain", "item": "2"}])
    assert score_decisions([extra_vote], [doc])["votes"]["recall"] == 0.75
    assert score_decisions([_record(meta={})], [doc])["documents"] == 0  # not annotated: not scored
