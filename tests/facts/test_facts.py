"""Relations, attendance and metric attributes: rules on invented examples, the trained pair classifier,
and the `minutes_relations` / `minutes_normalise` components (add_pipe, to_disk round-trip, overfit)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest

from pipeline.facts.attendance import Mention, attendance_rows
from pipeline.facts.indicators import parse_indicator
from pipeline.facts.metrics import (
    find_comparisons,
    find_indicator,
    find_period,
    is_prose,
    share_indicators,
    table_position,
)
from pipeline.facts.relations import Ent, candidate_pairs, rule_relation
from pipeline.normalise.dates import normalise_period
from pipeline.normalise.names import canonical_person
from pipeline.text import cell_bounds
from pipeline.tokenizer import blank_nlp


def marked(source: str):
    """'[[PERSON|Ann Bell]], [[ROLE|Chair]]' -> text and (start, end, label) spans."""
    text, spans, pos = "", [], 0
    for m in re.finditer(r"\[\[([A-Z]+)\|(.*?)\]\]", source):
        text += source[pos : m.start()]
        spans.append((len(text), len(text) + len(m.group(2)), m.group(1)))
        text += m.group(2)
        pos = m.end()
    return text + source[pos:], spans


def rules_for(source: str) -> set[tuple[str, str, str]]:
    text, spans = marked(source)
    ents = [Ent(s, e, lab, i) for i, (s, e, lab) in enumerate(spans)]
    out = set()
    for head, tail, label, nb in candidate_pairs(text, ents):
        if rule_relation(text, head, tail, nb):
            out.add((text[head.start : head.end], label, text[tail.start : tail.end]))
    return out


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            "[[PERSON|Sally Allen]], [[ROLE|Acting Director of Children's Social Care]];",
            {("Sally Allen", "HAS_ROLE", "Acting Director of Children's Social Care")},
        ),
        ("County Councillor [[PERSON|Andrea Kay]] ([[ROLE|Chair]])", {("Andrea Kay", "HAS_ROLE", "Chair")}),
        (
            "[[PERSON|Terri Hacking]], [[ORG|Action for Children]]",
            {("Terri Hacking", "AFFILIATED_WITH", "Action for Children")},
        ),
        ("[[PERSON|Ann Bell]] – [[ORG|Barnardo's]]", {("Ann Bell", "AFFILIATED_WITH", "Barnardo's")}),
        ("\t[[PERSON|Mia Leyland]]\n\n\t· [[ORG|Barnardo's]]\n", {("Mia Leyland", "AFFILIATED_WITH", "Barnardo's")}),
        (
            "[[ROLE|Independent Chair]] of the [[ORG|Lancashire Safeguarding Children Board]]",
            {("Independent Chair", "ROLE_IN_ORG", "Lancashire Safeguarding Children Board")},
        ),
        (
            "The [[ROLE|Director of Finance]], [[PERSON|Ade Okafor]], reported",
            {("Ade Okafor", "HAS_ROLE", "Director of Finance")},
        ),
        (
            "Representatives of the [[ORG|Youth Parliament]]: [[PERSON|Zara]], [[PERSON|Tomasz]] and [[PERSON|Ife]]\n",
            {(name, "AFFILIATED_WITH", "Youth Parliament") for name in ("Zara", "Tomasz", "Ife")},
        ),
        (
            "\tDr [[PERSON|Kofi Ansah]]\n\t· [[ROLE|Clinical Director]], CAMHS, [[ORG|NHS Westshire]]\n",
            {("Kofi Ansah", "HAS_ROLE", "Clinical Director"), ("Kofi Ansah", "AFFILIATED_WITH", "NHS Westshire")},
        ),
        (
            "\tCouncillor [[PERSON|Lena Morrow]]\t\t[[ORG|Northgate Borough Council]]\n",
            {("Lena Morrow", "AFFILIATED_WITH", "Northgate Borough Council")},
        ),
    ],
)
def test_layout_rules(source, expected):
    assert expected <= rules_for(source)


def test_a_group_label_speaks_only_for_its_own_line():
    source = "[[ORG|Youth Council]]: [[PERSON|Ana]] and [[PERSON|Bo]]\nCare Forum: [[PERSON|Cy]] and [[PERSON|Di]]\n"
    assert ("Cy", "AFFILIATED_WITH", "Youth Council") not in rules_for(source)


def test_rules_do_not_link_across_another_person():
    found = rules_for("[[PERSON|Ann Bell]] and [[PERSON|Tom Fry]], [[ROLE|Head of Service]]")
    assert ("Ann Bell", "HAS_ROLE", "Head of Service") not in found
    assert ("Tom Fry", "HAS_ROLE", "Head of Service") in found


def att(source: str, sections=None):
    text, spans = marked(source)
    mentions = [Mention(s, e, lab, text[s:e]) for s, e, lab in spans]
    rows = attendance_rows(text, mentions, sections or [], {}, canonical_person)
    return {r["person"]: r["status"] for r in rows}


def test_attendance_sentences():
    assert att("Apologies were received from County Councillor [[PERSON|Joe Cooney]] and [[PERSON|Gail Goodman]].") == {
        "Joe Cooney": "apologies",
        "Gail Goodman": "apologies",
    }
    assert att(
        "County Councillors [[PERSON|C Dereli]] and [[PERSON|A Schofield]] replaced County Councillors "
        "[[PERSON|T Burns]] and [[PERSON|J Shedwick]] respectively."
    ) == {"C Dereli": "substitute", "A Schofield": "substitute", "T Burns": "apologies", "J Shedwick": "apologies"}
    assert att("[[PERSON|Joan Burrows]] attended on behalf of County Councillor [[PERSON|David Foxcroft]].") == {
        "Joan Burrows": "substitute",
        "David Foxcroft": "apologies",
    }
    assert att("[[PERSON|Raj Patel]] chaired the meeting in the absence of [[PERSON|Ann Bell]].") == {
        "Raj Patel": "chair",
        "Ann Bell": "apologies",
    }
    assert att(
        "The meeting would be jointly chaired by County Councillor [[PERSON|Ian Brown]] and [[PERSON|Jake]]."
    ) == {"Ian Brown": "chair", "Jake": "chair"}
    assert att(
        "The Chair welcomed [[PERSON|Sally Allen]], [[ROLE|Acting Director]]; "
        "and [[PERSON|Victoria Gent]], to the meeting."
    ) == {"Sally Allen": "in_attendance", "Victoria Gent": "in_attendance"}


def test_attendance_lists_and_strongest_status():
    source = (
        "Present:\nCounty Councillor [[PERSON|Andrea Kay]] (Chair)\n[[PERSON|B Dawson]]\n"
        "Officers\n[[PERSON|Ann Bell]], Clerk\n\n"
        "County Councillor [[PERSON|Bernard Dawson]] replaced County Councillor [[PERSON|Jennifer Mein]]."
    )
    text, _ = marked(source)
    end = text.index("County Councillor Bernard")
    sections = [{"index": 0, "kind": "attendance", "start_char": 0, "end_char": end, "parent": None, "title": None}]
    assert att(source, sections) == {
        "Andrea Kay": "chair",
        "Bernard Dawson": "substitute",
        "Ann Bell": "in_attendance",
        "Jennifer Mein": "apologies",
    }


def test_a_bracketed_chair_marks_only_its_own_name():
    source = "Present:\nCouncillors [[PERSON|R Amadi]], [[PERSON|K Lindqvist]] and [[PERSON|P Oduya]] (Chair)\n"
    sections = [{"index": 0, "kind": "attendance", "start_char": 0, "end_char": len(marked(source)[0])}]
    sections[0].update(parent=None, title=None)
    assert att(source, sections) == {"R Amadi": "present", "K Lindqvist": "present", "P Oduya": "chair"}


def test_a_heading_inside_an_apologies_block_speaks_for_its_names():
    source = (
        "Apologies:\nCouncillor [[PERSON|Sam Fenwick]]\n\nOfficers:\n[[PERSON|Ines Duarte]] (Planning Officer) and "
        "[[PERSON|Tom Achebe]] (Solicitor)\n"
    )
    sections = [{"index": 0, "kind": "apologies", "start_char": 0, "end_char": len(marked(source)[0])}]
    sections[0].update(parent=None, title=None)
    assert att(source, sections) == {
        "Sam Fenwick": "apologies",
        "Ines Duarte": "in_attendance",
        "Tom Achebe": "in_attendance",
    }


def test_a_representing_column_heading_is_not_a_cue():
    source = (
        "Present:\n\tMember\t\tRepresenting\n\tCouncillor [[PERSON|Lena Morrow]]\tNorthgate Borough Council\n"
        "\tCouncillor [[PERSON|Abdul Karim]]\tEastbrook District Council\n"
    )
    sections = [{"index": 0, "kind": "attendance", "start_char": 0, "end_char": len(marked(source)[0])}]
    sections[0].update(parent=None, title=None)
    assert att(source, sections) == {"Lena Morrow": "present", "Abdul Karim": "present"}


def test_group_words_and_colon_dash_make_a_heading():
    source = (
        "Attendees:\nMembers\nCllr [[PERSON|Hana Sato]] (Chair)\n\nOfficers and partners\n"
        "[[PERSON|Rui Costa]] – Head of Inclusion\n\n"
        "Guests in attendance:-\n[[PERSON|Ola Nilsen]] – Parent Carer Forum\n"
    )
    sections = [{"index": 0, "kind": "attendance", "start_char": 0, "end_char": len(marked(source)[0])}]
    sections[0].update(parent=None, title=None)
    assert att(source, sections) == {"Hana Sato": "chair", "Rui Costa": "in_attendance", "Ola Nilsen": "in_attendance"}


def test_a_sentence_inside_an_attendance_section_is_not_a_list_line():
    source = (
        "Officers:\n[[PERSON|Mia Kowal]], Housing Manager\n\n"
        "52. Apologies and Substitute Members\n\n[[PERSON|Mia Kowal]] presented the report on temporary "
        "accommodation and answered questions from the members of the group.\n"
    )
    sections = [{"index": 0, "kind": "attendance", "start_char": 0, "end_char": len(marked(source)[0])}]
    sections[0].update(parent=None, title=None)
    assert att(source, sections) == {"Mia Kowal": "in_attendance"}


def test_the_chair_in_apposition_chaired():
    assert att("The Chair, Councillor [[PERSON|Ama Boateng]], welcomed [[PERSON|Lev Petrov]] to the meeting.") == {
        "Ama Boateng": "chair",
        "Lev Petrov": "in_attendance",
    }
    assert "Ola Bankole" not in att("The Vice-Chair, Councillor [[PERSON|Ola Bankole]], asked about waiting times.")


def test_a_listed_member_on_behalf_of_another_is_a_substitute():
    source = (
        "Members\nDetective Inspector [[PERSON|Rhys Morgan]]\n· Anyshire Police\n[[PERSON|Dana Holt]]\n"
        "· Head of Service, Anytown 0-19 Service\n\n"
        "Detective Inspector [[PERSON|Rhys Morgan]] attended on behalf of Detective Chief Inspector "
        "[[PERSON|Sue Bright]].\n"
    )
    text, _ = marked(source)
    end = text.index("\n\nDetective")
    sections = [{"index": 0, "kind": "attendance", "start_char": 0, "end_char": end, "parent": None, "title": None}]
    assert att(source, sections) == {"Rhys Morgan": "substitute", "Dana Holt": "present", "Sue Bright": "apologies"}


def test_a_starred_members_list_gives_present_only_to_the_starred():
    source = (
        "Elected Members:\n(* = present at the meeting)\n\t* Mrs [[PERSON|Ruth Odell]] (Chairman)\n"
        "\t   Mr [[PERSON|Ivo Brandt]]\n\t* Ms [[PERSON|Kemi Ade]]\n\n"
        "Apologies were received from Mr [[PERSON|Brandt]].\n"
    )
    text, _ = marked(source)
    end = text.index("\n\nApologies")
    sections = [{"index": 0, "kind": "attendance", "start_char": 0, "end_char": end, "parent": None, "title": None}]
    assert att(source, sections) == {"Ruth Odell": "chair", "Ivo Brandt": "apologies", "Kemi Ade": "present"}


def test_cc_after_a_name_is_a_post_nominal():
    assert canonical_person("A. Wright-Nelson CC") == "A Wright-Nelson"


def test_chair_cues_and_their_exceptions():
    assert att(
        "Present:- Councillor [[PERSON|Morag Ure]], Convener; Councillor [[PERSON|Ian Bell]], Vice Convener; and "
        "Councillors [[PERSON|Khan]] and [[PERSON|Roe]]."
    ) == {"Morag Ure": "chair", "Ian Bell": "present", "Khan": "present", "Roe": "present"}
    assert (
        att(
            "In the absence of the Chairman, Councillor [[PERSON|Owen Tate]], the Deputy Chairman, Alderman "
            "[[PERSON|Ruth Kell]], presided."
        ).get("Owen Tate")
        != "chair"
    )
    assert att("Apologies were received from Councillor [[PERSON|Lyn Moss]] (Chair).") == {"Lyn Moss": "apologies"}


def test_a_short_form_takes_the_documents_full_name():
    source = (
        "Elected Members:\n\tMr [[PERSON|Owen Rathbone-Price]]\n\tMrs [[PERSON|Della Quist]]\n\n"
        "Apologies were received from Mr [[PERSON|Rathbone-Price]].\n"
    )
    assert att(source)["Owen Rathbone-Price"] == "apologies"


def test_metric_indicator_rules():
    cases = {
        "Re-referral rate 21.3% - October 2019": ("21.3%", "Re-referral rate"),
        "· Visits in Timescale – 92%": ("92%", "Visits in Timescale"),
        "Rate of CLA per 10,000 – 85.0": ("85.0", "Rate of CLA"),
        "Bob reported that currently 90% of primary schools have good judgements.": ("90%", "primary schools"),
        "Overall 152 cases were looked at.": ("152", "cases"),
        "At September 2013 the number of children looked after had increased to 1,548, whilst": (
            "1,548",
            "children looked after",
        ),
    }
    for text, (metric, indicator) in cases.items():
        s = text.index(metric)
        ind = find_indicator(text, s, s + len(metric), (0, len(text)))
        assert ind and text[ind[0] : ind[1]] == indicator, text


def test_metric_period_and_comparison():
    text = (
        "As at October 2019 Lancashire was good at the following:\n\n"
        "Caseloads\n\nAverage caseload – 17 for all social workers\n"
    )
    s = text.index("17")
    dates = [(text.index("October 2019"), text.index("October 2019") + len("October 2019"))]
    assert find_period(text, s, s + 2, (text.index("Average"), len(text)), dates, (0, len(text))) == "October 2019"
    text = "caseloads had dropped significantly from 130 to around the mid-70s with mid-80s being the highest"
    a, b = (text.index("130"), text.index("130") + 3), (text.index("mid-70s"), text.index("mid-70s") + 7)
    assert find_comparisons(text, [a, b]) == {b: a}


def _tiny_nlp():
    nlp = blank_nlp()
    nlp.add_pipe("minutes_sections").initialize()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Ann Bell"},
            {"label": "ROLE", "pattern": [{"LOWER": "head"}, {"LOWER": "of"}, {"LOWER": "finance"}]},
            {"label": "ORG", "pattern": "Barnardo's"},
            {"label": "METRIC", "pattern": [{"TEXT": "£"}, {"TEXT": "1.2"}, {"LOWER": "m"}]},
            {"label": "DATE", "pattern": "2018/19"},
        ]
    )
    nlp.add_pipe("minutes_normalise")
    nlp.add_pipe("minutes_relations").initialize()  # no records: layout rules only, classifier untrained
    return nlp


TEXT = (
    "Kent County Council\n\nCabinet\nMinutes of the Meeting held on Tuesday, 5th March, 2019 at 2.00 pm in Room 1\n\n"
    "Present:\nAnn Bell, Head of Finance\n\n1.  Budget\n\n"
    "Ann Bell reported a £1.2m overspend in 2018/19. Barnardo's welcomed it.\n"
)


def test_components_fill_doc_extensions():
    doc = _tiny_nlp()(TEXT)
    rels = {
        (doc.text[r["head"][0] : r["head"][1]], r["label"], doc.text[r["tail"][0] : r["tail"][1]])
        for r in doc._.relations
    }
    assert ("Ann Bell", "HAS_ROLE", "Head of Finance") in rels
    (metric,) = doc._.metrics
    assert metric["value"] == 1200000 and metric["unit"] == "currency"
    assert metric["indicator"] == "overspend" and metric["period"] == "2018-04-01..2019-03-31"
    assert any(a["person"] == "Ann Bell" for a in doc._.attendance)


def test_relations_classifier_overfits_and_round_trips(tmp_path):
    text = "Ann Bell who is our Head of Finance spoke. Tom Fry spoke."
    a, r, t = text.index("Ann Bell"), text.index("Head of Finance"), text.index("Tom Fry")
    record = {
        "text": text,
        "spans": [
            {"start": a, "end": a + 8, "label": "PERSON", "id": "p1"},
            {"start": r, "end": r + 15, "label": "ROLE", "id": "r1"},
            {"start": t, "end": t + 7, "label": "PERSON", "id": "p2"},
        ],
        "relations": [{"head_id": "p1", "child_id": "r1", "label": "HAS_ROLE"}],
    }
    nlp = _tiny_nlp()
    rel = nlp.get_pipe("minutes_relations")
    ents = [Ent(a, a + 8, "PERSON", 0), Ent(r, r + 15, "ROLE", 1), Ent(t, t + 7, "PERSON", 2)]
    assert rel.relations_for(text, ents) == []  # no layout rule fires, untrained model says nothing
    rel.initialize(records=[record] * 20)
    found = rel.relations_for(text, ents)
    assert [(f["head"], f["tail"], f["evidence"]) for f in found] == [([a, a + 8], [r, r + 15], "model")]
    nlp.to_disk(tmp_path / "m")
    # spacy.load in a fresh interpreter, without importing the package by hand (entry points)
    code = (
        "import spacy, json; nlp = spacy.load({!r}); r = nlp.get_pipe('minutes_relations'); "
        "from pipeline.facts.relations import Ent; "
        "print(json.dumps(r.relations_for({!r}, [Ent(*e) for e in {!r}])))"
    ).format(str(tmp_path / "m"), text, [(e.start, e.end, e.label, e.index) for e in ents])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert '"model"' in out and str(a + 8) in out


def test_cells_of_a_line_a_tab_after_a_list_marker_opens_none():
    for line, figure, cell in [
        ("·\t214 children were placed outside", "214", "·\t214 children were placed outside"),
        ("a)\tthere had been 5,921 referrals", "5,921", "a)\tthere had been 5,921 referrals"),
        ("4.3\tCouncillor Zheng said 14 had a plan", "14", "4.3\tCouncillor Zheng said 14 had a plan"),
        (
            "| 26. | Update. 1,870 potholes had been repaired | x |",
            "1,870",
            " Update. 1,870 potholes had been repaired ",
        ),
        ("45\tWORK PROGRAMME\tabsence was 27.1% in", "27.1%", "absence was 27.1% in"),
        ("Re-referral rate\t21%\t23%", "21%", "21%"),
    ]:
        start = line.index(figure)
        cell_start, cell_end = cell_bounds(line, start, start + len(figure))
        assert line[cell_start:cell_end] == cell, line


def test_figures_in_running_text_and_on_label_lines():
    for text, figure, prose in [
        ("·\t214 children were placed outside the city boundary", "214", True),
        ("As at 30 June 2020, 92.4% of EHC plans were issued within 20 weeks", "92.4%", True),
        ("| 26. | Highways | The Board noted that 1,870 potholes had been repaired. |", "1,870", True),
        ("· Visits in Timescale – 92%", "92%", False),
        ("Re-referral rate 19.8% - September 2019 (national average 22.6%)", "19.8%", False),
        ("| Re-referrals within 12 months | 22% | 18% |", "22%", False),
    ]:
        start = text.index(figure)
        assert is_prose(text, start, start + len(figure)) is prose, text


def test_a_table_row_gives_its_label_and_its_column_header():
    text = (
        "| Indicator | 2019/20 | Current (February 2021) |\n| --- | --- | --- |\n"
        "| Re-referrals within 12 months | 22% | 18% |\n"
    )
    for figure, header in (("22%", "2019/20"), ("18%", "Current (February 2021)")):
        start = text.index(figure)
        label, column = table_position(text, start, start + len(figure))
        assert text[slice(*label)] == "Re-referrals within 12 months" and text[slice(*column)] == header
    assert table_position("The rate was 22% in 2019.", 13, 16) is None


def _row(text: str, figure: str, indicator: str | None) -> dict:
    start = text.index(figure)
    where = text.index(indicator) if indicator else None
    return {
        "start_char": start,
        "end_char": start + len(figure),
        "indicator": indicator,
        "indicator_start": where,
        "indicator_end": where + len(indicator) if indicator else None,
    }


def test_a_compared_figure_and_the_figure_take_the_measure_they_point_back_to():
    text = "Timeliness of assessments: 86% (2017/18: 79%). In December alone the figure was 88%.\nOther: 5"
    rows = [
        _row(text, "86%", "Timeliness of assessments"),
        _row(text, "79%", "Timeliness of assessments: 86% (2017/18"),
        _row(text, "88%", "figure"),
        _row(text, "5", None),
    ]
    shared = share_indicators(text, rows, {})
    assert [row["indicator"] for row in shared] == ["Timeliness of assessments"] * 3 + [None]
    text = "Attendance improved to 64%, compared with 52% in 2021/22."
    rows = share_indicators(text, [_row(text, "64%", "Attendance"), _row(text, "52%", None)], {})
    assert rows[1]["indicator"] == "Attendance" and rows[1]["indicator_start"] == 0


def test_a_figures_period_since_between_and_without_a_year():
    meeting = dt.date(2024, 7, 8)
    assert normalise_period("since January 2024", meeting) == "2024-01..2024-07-08"
    assert normalise_period("between April and June 2024", meeting) == "2024-04..2024-06"
    assert normalise_period("November to February 2024", meeting) == "2023-11..2024-02"
    assert normalise_period("October", meeting) == "2023-10"  # what a figure reports has happened
    assert normalise_period("2023/24", meeting) == "2023-04-01..2024-03-31"
    assert normalise_period("no date here", meeting) is None
    assert normalise_period("the first half of 2023/24", meeting) == "2023-04-01..2023-09-30"
    assert normalise_period("first three quarters of 2023/24", meeting) == "2023-04-01..2023-12-31"
    assert normalise_period("the last quarter of 2023/24", meeting) == "2024-01-01..2024-03-31"
    assert normalise_period("the year to September 2023", meeting) == "2022-10..2023-09"


def test_the_words_before_a_date_that_make_a_range_of_it_go_with_it():
    text = "Between October and December 2023, 412 people were discharged; 604 in the first half of 2019/20."
    for date, expected in (
        ("December 2023", "Between October and December 2023"),
        ("2019/20", "the first half of 2019/20"),
    ):
        start = text.index(date)
        dates = [(start, start + len(date))]
        figure = text.index("412") if "2023" in date else text.index("604")
        sentence = (text.rfind(";", 0, figure) + 1 if "2019" in date else 0, len(text))
        assert find_period(text, figure, figure + 3, sentence, dates, None) == expected


def _parsed(words, heads, deps, pos, figure: tuple[int, int]):
    """A Doc with a hand-written parse and one METRIC span (token offsets), as the trained pipeline gives."""
    from spacy.tokens import Doc, Span

    lemmas = [{"was": "be", "years": "year", "had": "have", "allocated": "allocate"}.get(w, w.lower()) for w in words]
    doc = Doc(blank_nlp().vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    doc.ents = [Span(doc, figure[0], figure[1], label="METRIC")]
    return doc.ents[0]


def test_what_a_figure_measures_by_the_parse():
    # "the average age of the fleet was 6.8 years": a unit noun gives the clause subject
    ent = _parsed(
        ["the", "average", "age", "of", "the", "fleet", "was", "6.8", "years"],
        [2, 2, 6, 2, 5, 3, 6, 8, 6],
        ["det", "amod", "nsubj", "prep", "det", "pobj", "ROOT", "nummod", "attr"],
        ["DET", "ADJ", "NOUN", "ADP", "DET", "NOUN", "AUX", "NUM", "NOUN"],
        (7, 8),
    )
    assert ent.doc.text[slice(*parse_indicator(ent))] == "average age of the fleet"
    # "11 had rent arrears": the figure is the subject, what it did is measured
    ent = _parsed(
        ["11", "had", "rent", "arrears"],
        [1, 1, 3, 1],
        ["nsubj", "ROOT", "compound", "dobj"],
        ["NUM", "VERB", "NOUN", "NOUN"],
        (0, 1),
    )
    assert ent.doc.text[slice(*parse_indicator(ent))] == "had rent arrears"
    # "allocated £340,000 for youth projects": a sum is measured by what it is for
    ent = _parsed(
        ["they", "allocated", "£", "340,000", "for", "youth", "projects"],
        [1, 1, 3, 1, 3, 6, 4],
        ["nsubj", "ROOT", "nmod", "dobj", "prep", "compound", "pobj"],
        ["PRON", "VERB", "SYM", "NUM", "ADP", "NOUN", "NOUN"],
        (2, 4),
    )
    assert ent.doc.text[slice(*parse_indicator(ent))] == "youth projects"
    # "63 of them": no measure of its own (the sentence's other figure gives it)
    ent = _parsed(["63", "of", "them"], [0, 0, 1], ["ROOT", "prep", "pobj"], ["NUM", "ADP", "PRON"], (0, 1))
    assert parse_indicator(ent) is None
