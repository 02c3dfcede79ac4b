"""The report query layer: trained GPs under the completion rule, reach, coverage, progress, feedback."""
from datetime import date

from tests.conftest import sessions_of
from trainer.extensions import db
from trainer.feedback import services as feedback
from trainer.feedback.models import QuestionKind
from trainer.regions.areas import STATE, Area
from trainer.reports import queries


def test_the_programme_sentence_counts_trained_gps_and_the_places_they_reach(marked):
    report = queries.programme_report(marked, STATE)
    assert (report.target_gps, report.trained_gps, report.districts_reached, report.blocks_reached) == (24, 3, 2, 2)
    assert report.participants == 27 and report.by_role["sarpanch"] == 2
    assert [(c.code, c.target, c.reached, c.participants) for c in report.coverage["division"]] == [
        (1, 12, 2, 20), (2, 12, 1, 7)]
    assert report.progress[-1][2] == 3 and report.progress[0][0] == date(2026, 7, 21)


def test_a_stricter_completion_rule_trains_fewer_gps(marked):
    marked.completion_sessions = 2
    db.session.commit()
    report = queries.programme_report(marked, STATE)
    assert report.trained_gps == 1 and report.districts_reached == 1
    assert [row.code for row in queries.untrained_gps(marked, STATE)][:2] == [11111, 11113]


def test_an_officer_sees_only_their_area(marked, places):
    block = Area.of(places.block(1111))
    report = queries.programme_report(marked, block)
    assert (report.target_gps, report.trained_gps, report.participants) == (3, 2, 20)
    assert [row.code for row in queries.untrained_gps(marked, block)] == [11113]


def test_an_officer_counts_only_the_sessions_held_for_their_division(marked, places):
    state = queries.programme_report(marked, STATE)
    division_one = queries.programme_report(marked, Area.of(places.block(1111)))
    assert state.sessions_total == len(marked.sessions) == 6
    assert division_one.sessions_total == len(sessions_of(marked, 1)) == 3


def test_the_session_report_lists_present_absent_and_modes(marked, places):
    session = sessions_of(marked, 1)[0]
    report = queries.session_report(session, STATE)
    assert (report.target_gps, report.present_gps, report.participants) == (12, 2, 14)
    assert ("youtube", 1, 10) in report.by_mode and (None, 1, 4) in report.by_mode
    assert len(report.absent) == 10
    assert [(b.code, b.reached) for b in report.by_block if b.reached] == [(1111, 2)]


def test_feedback_is_summarised_with_means_distributions_counts_and_searchable_text(marked, places):
    session = sessions_of(marked, 1)[0]
    rating = feedback.add_question(marked, QuestionKind.RATING, "कैसा लगा?")
    choice = feedback.add_question(marked, QuestionKind.SINGLE, "माध्यम", options=[{"hi": "यूट्यूब"}, {"hi": "वीसी"}])
    text = feedback.add_question(marked, QuestionKind.SHORT_TEXT, "सुझाव")
    for number, (score, option, words) in enumerate([(5, "o1", "बहुत अच्छा"), (3, "o1", "आवाज़ धीमी"),
                                                    (4, "o2", "")]):
        feedback.submit(session, places.gp(11111), feedback.Submission({rating.id: score, choice.id: option,
                                                                        text.id: words}), nonce=f"n{number}")
    db.session.commit()
    summary = queries.session_report(session, STATE).feedback
    assert summary.responses == 3 and summary.ratings[0].mean == 4
    assert summary.ratings[0].distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert summary.choices[0].counts == [("यूट्यूब", "", 2), ("वीसी", "", 1)]
    assert [t.text for t in queries.session_report(session, STATE, "आवाज़").feedback.texts] == ["आवाज़ धीमी"]
    modules = queries.module_feedback(marked, STATE)
    assert modules[0].responses == 3 and modules[0].mean_rating == 4


def test_the_dashboard_and_drill_down_agree_with_the_report(marked, places):
    glance = queries.dashboard(STATE)[0]
    assert (glance.target_gps, glance.trained_gps, glance.participants) == (24, 3, 27)
    districts = queries.coverage_within(marked, STATE, "district", places.division(1).id)
    assert [(d.code, d.reached) for d in districts] == [(111, 2), (112, 0)]
    gps = queries.block_gps(marked, STATE, places.block(1111))
    assert [(g.code, g.sessions, g.trained) for g in gps] == [(11111, 1, True), (11112, 2, True), (11113, 0, False)]


def test_the_published_sentence_reads_right_in_hindi_and_english(marked):
    from trainer.reports.words import programme_sentences
    sentences = programme_sentences(queries.programme_report(marked, STATE))
    assert sentences["hi"] == "अब तक 2 जिलों एवं 2 जनपदों की 3 ग्राम पंचायतें प्रशिक्षण प्राप्त कर चुकी हैं; 27 प्रतिभागी जुड़े।"
    assert sentences["en"] == ("So far 3 gram panchayats of 2 janpads in 2 districts have been trained; "
                               "27 participants joined.")
