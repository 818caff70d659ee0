"""Fact scores: attendance pairs, meeting fields where the text states them (a wrong value counted apart)."""

from __future__ import annotations

from types import SimpleNamespace

from pipeline.training.evaluate_facts import score_attendance, score_meetings


def _doc(attendance=None, meeting=None):
    return SimpleNamespace(_=SimpleNamespace(attendance=attendance or [], meeting=meeting or {}))


def test_meeting_fields_are_scored_only_where_stated_and_wrong_is_not_missing():
    records = [{"meta": {"doc_name": name}} for name in ("a", "b", "c")]
    stated = {
        "a": {"meeting_date": "2021-06-16", "committee": "Health Scrutiny Committee", "council": ""},
        "b": {"meeting_date": "2020-01-27", "committee": "", "council": "Anyshire County Council"},
        "c": {"meeting_date": "", "committee": "Cabinet", "council": ""},
    }
    docs = [
        _doc(meeting={"meeting_date": "2021-06-16", "committee": "health scrutiny  committee"}),
        _doc(meeting={"meeting_date": "2019-11-12", "council": None}),  # the previous meeting's date: wrong
        _doc(meeting={"committee": None}),
    ]
    scores = score_meetings(records, docs, stated)
    assert scores["meeting_date"] == {"stated": 2, "correct": 1, "wrong": 1, "missing": 0, "accuracy": 0.5}
    assert scores["committee"] == {"stated": 2, "correct": 1, "wrong": 0, "missing": 1, "accuracy": 0.5}
    assert scores["council"]["missing"] == 1 and scores["council"]["stated"] == 1


def test_attendance_is_scored_by_person_and_status():
    records = [
        {"attendance": [{"person": "Ann Hale", "status": "apologies"}, {"person": "Rob Tate", "status": "present"}]}
    ]
    docs = [_doc(attendance=[{"person": "ann hale", "status": "apologies"}, {"person": "Rob Tate", "status": "chair"}])]
    scores = score_attendance(records, docs)
    assert scores["micro"]["tp"] == 1 and scores["micro"]["fp"] == 1 and scores["micro"]["fn"] == 1
    assert scores["person_only"]["f1"] == 1.0
