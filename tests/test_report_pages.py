"""Report pages: the dashboard, the programme report and its drill-down, the session report; in Hindi, with
the figures of the query layer and of the JSON, and only the viewer's area."""
import re
from html import unescape

import pytest

from tests.conftest import sessions_of
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.feedback import services as feedback
from trainer.feedback.models import QuestionKind
from trainer.regions.areas import STATE, Area
from trainer.reports import queries
from trainer.reports.words import programme_sentences
from trainer.youtube.models import YouTubeBroadcast


@pytest.fixture
def reported(marked, places):
    """Three GPs trained (two in block 1111, one in district 121), feedback on the first session of division 1
    (one response from GP 11113, not marked present) and its YouTube figures."""
    programme = marked
    one = sessions_of(programme, 1)[0]
    rating = feedback.add_question(programme, QuestionKind.RATING, "कैसा लगा?", "How was it?")
    choice = feedback.add_question(programme, QuestionKind.SINGLE, "माध्यम",
                                   options=[{"hi": "यूट्यूब"}, {"hi": "वीसी"}])
    text = feedback.add_question(programme, QuestionKind.SHORT_TEXT, "सुझाव")
    answers = [(places.gp(11111), 5, "o1", "बहुत अच्छा"), (places.gp(11111), 3, "o1", "आवाज़ धीमी"),
               (places.gp(11113), 4, "o2", "")]
    for number, (gp, score, option, words) in enumerate(answers):
        feedback.submit(one, gp, feedback.Submission({rating.id: score, choice.id: option, text.id: words}),
                        nonce=f"n{number}", now=one.starts_at)
    db.session.add(YouTubeBroadcast(session_id=one.id, views=1234, peak_viewers=321))
    db.session.commit()
    return programme


def figure(page: str, name: str) -> str:
    """The text of the first element marked data-figure=name."""
    found = re.search(rf'data-figure="{name}"[^>]*>(.*?)<', page, re.S)
    assert found, f"no figure {name}"
    return unescape(found.group(1)).strip()


def row_of(page: str, code: int) -> dict[str, str]:
    """The figures of the table row of a place (by LGD code)."""
    found = re.search(rf'<tr data-code="{code}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, f"no row {code}"
    return {name: unescape(value).strip() for name, value in
            re.findall(r'data-figure="(\w+)"[^>]*>(.*?)<', found.group(1), re.S)}


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


# Figures


def test_the_dashboard_shows_each_programme_with_the_figures_of_the_queries_and_the_json(client, login_as,
                                                                                          reported):
    login_as(Role.DIRECTOR)
    page = get(client, "/reports/")
    glance = queries.dashboard(STATE)[0]
    listed = client.get("/api/v1/programmes").get_json()["programmes"][0]
    assert '<html lang="hi">' in page and f'href="/reports/programmes/{reported.id}"' in page
    assert figure(page, "trained_gps") == str(glance.trained_gps) == str(listed["trained_gps"]) == "3"
    assert figure(page, "participants") == str(glance.participants) == str(listed["participants"]) == "27"
    assert figure(page, "sessions_held") == str(glance.sessions_held) == str(listed["sessions_held"])
    assert figure(page, "share") == "12.5%" and listed["share"] == glance.share == 3 / 24


def test_the_programme_report_in_hindi_has_the_same_figures_as_the_queries_and_the_json(client, login_as, reported):
    login_as(Role.DIRECTOR)
    page = get(client, f"/reports/programmes/{reported.id}")
    report = queries.programme_report(reported, STATE)
    data = client.get(f"/api/v1/programmes/{reported.id}/report").get_json()
    assert '<html lang="hi">' in page and '<th scope="col">संभाग</th>' in page and "प्रतिभागी" in page
    assert figure(page, "sentence") == data["sentences"]["hi"] == programme_sentences(report)["hi"]
    for name in ("target_gps", "trained_gps", "districts_reached", "blocks_reached", "participants",
                 "sessions_held"):
        assert figure(page, name) == str(getattr(report, name)) == str(data[name]), name
    assert figure(page, "share") == "12.5%" and data["share"] == report.share == 0.125
    for division in report.coverage["division"]:
        shown = row_of(page, division.code)
        assert shown == {"target": str(division.target), "reached": str(division.reached),
                         "participants": str(division.participants)}
    assert [(d["code"], d["target"], d["reached"], d["participants"]) for d in data["coverage"]["division"]] == [
        (1, 12, 2, 20), (2, 12, 1, 7)]
    assert figure(page, "sarpanch") == str(report.by_role["sarpanch"]) == str(data["by_role"]["sarpanch"]) == "2"


def test_the_programme_report_publishes_the_sentence_in_hindi(client, login_as, reported):
    login_as(Role.DIRECTOR)
    page = get(client, f"/reports/programmes/{reported.id}")
    assert figure(page, "sentence") == (
        "अब तक 2 जिलों एवं 2 जनपदों की 3 ग्राम पंचायतें प्रशिक्षण प्राप्त कर चुकी हैं; 27 प्रतिभागी जुड़े।")


def test_the_programme_report_charts_coverage_and_progress_and_rates_each_module(client, login_as, reported):
    login_as(Role.DIRECTOR)
    page = get(client, f"/reports/programmes/{reported.id}")
    assert page.count("<svg") >= 2 and 'role="img"' in page
    module = queries.module_feedback(reported, STATE)[0]
    found = re.search(rf'<tr data-module="{module.module_id}">(.*?)</tr>', page, re.S).group(1)
    assert 'data-figure="responses">3<' in found and 'data-figure="mean_rating">4.0<' in found
    assert "<details>" in page and f'href="/reports/sessions/{sessions_of(reported, 1)[0].id}"' in page


def test_the_programme_report_links_every_export_and_the_untrained_list(client, login_as, reported):
    login_as(Role.DIRECTOR)
    page = get(client, f"/reports/programmes/{reported.id}")
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'href="/reports/programmes/{reported.id}.{fmt}"' in page
    for fmt in ("csv", "xlsx"):
        assert f'href="/reports/programmes/{reported.id}/untrained.{fmt}"' in page


def test_a_director_drills_down_from_the_state_to_a_block(client, login_as, reported, places):
    login_as(Role.DIRECTOR)
    state = get(client, f"/reports/programmes/{reported.id}")
    division_url = f"/reports/programmes/{reported.id}/divisions/1"
    assert f'href="{division_url}"' in state
    division = get(client, division_url)
    assert row_of(division, 111) == {"target": "6", "reached": "2", "participants": "20"}
    assert row_of(division, 112) == {"target": "6", "reached": "0", "participants": "0"}
    assert figure(division, "reached") == "2"
    district_url = f"/reports/programmes/{reported.id}/districts/111"
    assert f'href="{district_url}"' in division
    district = get(client, district_url)
    within = queries.coverage_within(reported, STATE, "block", places.district(111).id)
    assert [(b.code, b.reached) for b in within] == [(1111, 2), (1112, 0)]
    assert row_of(district, 1111)["reached"] == "2" and row_of(district, 1112)["reached"] == "0"
    block_url = f"/reports/programmes/{reported.id}/blocks/1111"
    assert f'href="{block_url}"' in district
    block = get(client, block_url)
    assert row_of(block, 11111) == {"sessions": "1", "participants": "10", "trained": ""}
    assert "badge yes" in re.search(r'<tr data-code="11112".*?</tr>', block, re.S).group(0)
    assert "badge no" in re.search(r'<tr data-code="11113".*?</tr>', block, re.S).group(0)
    assert figure(block, "reached") == "2"
    assert f'href="/reports/programmes/{reported.id}/untrained.csv?block=1111"' in block


def test_the_session_report_shows_presence_modes_absent_gps_and_feedback(client, login_as, reported):
    login_as(Role.DIRECTOR)
    session = sessions_of(reported, 1)[0]
    page = get(client, f"/reports/sessions/{session.id}")
    report = queries.session_report(session, STATE)
    data = client.get(f"/api/v1/sessions/{session.id}/report").get_json()
    for name in ("target_gps", "present_gps", "participants"):
        assert figure(page, name) == str(getattr(report, name)) == str(data[name]), name
    assert figure(page, "share") == "16.7%" and data["share"] == report.share == 2 / 12
    assert figure(page, "absent") == str(len(report.absent)) == str(len(data["absent"])) == "10"
    assert page.count('<details class="absent-block"') == 4  # 4 blocks of division 1, 1111 with one GP absent
    assert re.search(r'data-block="1111">\s*<summary>जनपद 111 .*?<span class="badge">1</span>', page, re.S)
    assert figure(page, "youtube_views") == "1,234" and figure(page, "youtube_peak_viewers") == "321"
    assert figure(page, "without_attendance").startswith("1")
    assert figure(page, "mean") == "4.0" and data["feedback"]["ratings"][0]["mean"] == 4
    assert "यूट्यूब" in page and "बहुत अच्छा" in page and "आवाज़ धीमी" in page
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'href="/reports/sessions/{session.id}.{fmt}"' in page


def test_written_answers_can_be_searched(client, login_as, reported):
    login_as(Role.DIRECTOR)
    session = sessions_of(reported, 1)[0]
    page = get(client, f"/reports/sessions/{session.id}?q=आवाज़")
    assert "आवाज़ धीमी" in page and "बहुत अच्छा" not in page
    assert 'value="आवाज़"' in page


def test_english_pages_publish_the_english_sentence(client, login_as, reported):
    login_as(Role.DIRECTOR)
    client.post("/language", data={"lang": "en"})
    page = get(client, f"/reports/programmes/{reported.id}")
    assert figure(page, "sentence") == ("So far 3 gram panchayats of 2 janpads in 2 districts have been trained; "
                                        "27 participants joined.")
    assert "Division 1" in page


# Areas and roles


def test_a_block_officer_sees_only_their_block_on_every_page_and_in_the_json(client, login_as, reported, places):
    login_as(Role.BLOCK_OFFICER)
    block = Area.of(places.block(1111))
    report = queries.programme_report(reported, block)
    assert (report.target_gps, report.trained_gps, report.participants) == (3, 2, 20)
    dashboard = get(client, "/reports/")
    assert figure(dashboard, "trained_gps") == "2" and figure(dashboard, "participants") == "20"
    page = get(client, f"/reports/programmes/{reported.id}")
    data = client.get(f"/api/v1/programmes/{reported.id}/report").get_json()
    assert figure(page, "target_gps") == str(data["target_gps"]) == "3"
    assert figure(page, "trained_gps") == str(data["trained_gps"]) == "2"
    assert figure(page, "participants") == str(data["participants"]) == "20"
    assert data["area"] == {"level": "block", "code": 1111, "name_hi": "जनपद 111", "name_en": "Block 111"}
    assert [b["code"] for b in data["coverage"]["block"]] == [1111]
    # the officer lands on their block: its gram panchayats, and nothing of other blocks
    assert [int(code) for code in re.findall(r'<tr data-code="(\d+)"', page)] == [11111, 11112, 11113]
    assert "जनपद 112" not in page and "संभाग 2" not in page
    session = sessions_of(reported, 1)[0]
    session_page = get(client, f"/reports/sessions/{session.id}")
    assert figure(session_page, "target_gps") == "3" and figure(session_page, "present_gps") == "2"
    assert figure(session_page, "absent") == "1" and "जनपद 112" not in session_page
    assert get(client, f"/reports/programmes/{reported.id}/blocks/1111").count('<tr data-code=') == 3


@pytest.mark.parametrize("path", ["divisions/2", "districts/112", "districts/121", "blocks/1112", "blocks/1211"])
def test_a_block_officer_may_not_drill_into_other_places(client, login_as, reported, path):
    login_as(Role.BLOCK_OFFICER)
    assert client.get(f"/reports/programmes/{reported.id}/{path}").status_code == 403


def test_a_block_officer_may_not_open_sessions_of_other_divisions(client, login_as, reported):
    login_as(Role.BLOCK_OFFICER)
    assert client.get(f"/reports/sessions/{sessions_of(reported, 2)[0].id}").status_code == 403
    assert client.get(f"/api/v1/sessions/{sessions_of(reported, 2)[0].id}/report").status_code == 403


def test_a_district_officer_lands_on_the_blocks_of_their_district(client, login_as, reported):
    login_as(Role.DISTRICT_OFFICER)
    page = get(client, f"/reports/programmes/{reported.id}")
    assert 'data-level="block"' in page
    assert row_of(page, 1111) == {"target": "3", "reached": "2", "participants": "20"}
    assert row_of(page, 1112)["reached"] == "0" and "संभाग 2" not in page
    assert figure(page, "target_gps") == "6"


def report_urls(programme_id, session_id):
    return [
        "/reports/", f"/reports/programmes/{programme_id}", f"/reports/programmes/{programme_id}/divisions/1",
        f"/reports/programmes/{programme_id}/districts/111", f"/reports/programmes/{programme_id}/blocks/1111",
        f"/reports/sessions/{session_id}",
    ]


@pytest.mark.parametrize("index", range(6))
def test_secretaries_may_not_open_reports(client, login_as, reported, index):
    login_as(Role.SECRETARY)
    url = report_urls(reported.id, reported.sessions[0].id)[index]
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("index", range(6))
def test_signed_out_visitors_are_sent_to_sign_in(client, reported, index):
    response = client.get(report_urls(reported.id, reported.sessions[0].id)[index])
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.TRAINER, Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER])
def test_every_staff_role_reads_reports_and_finds_them_in_the_menu(client, login_as, reported, role):
    login_as(role)
    page = get(client, f"/reports/programmes/{reported.id}")
    assert 'href="/reports/"' in page


def test_secretaries_do_not_see_reports_in_the_menu(client, login_as, reported):
    login_as(Role.SECRETARY)
    assert 'href="/reports/"' not in get(client, "/")


@pytest.mark.parametrize("path", ["/reports/programmes/999", "/reports/sessions/999",
                                  "/reports/programmes/{p}/divisions/9", "/reports/programmes/{p}/districts/999",
                                  "/reports/programmes/{p}/blocks/9999", "/reports/programmes/99999999999",
                                  "/reports/programmes/{p}/blocks/99999999999999999999"])
def test_unknown_programmes_sessions_and_places_are_not_found(client, login_as, reported, path):
    login_as(Role.DIRECTOR)
    assert client.get(path.format(p=reported.id)).status_code == 404


def test_places_outside_the_programmes_divisions_are_not_found(client, login_as, make_programme, places):
    programme = make_programme(divisions=[places.division(1)])
    login_as(Role.DIRECTOR)
    assert client.get(f"/reports/programmes/{programme.id}/divisions/1").status_code == 200
    assert client.get(f"/reports/programmes/{programme.id}/divisions/2").status_code == 404
    assert client.get(f"/reports/programmes/{programme.id}/blocks/1211").status_code == 404


def test_a_programme_outside_an_officers_area_is_refused_and_not_listed(client, login_as, make_programme, places):
    programme = make_programme(divisions=[places.division(2)])
    login_as(Role.BLOCK_OFFICER)
    assert client.get(f"/reports/programmes/{programme.id}").status_code == 403
    assert f"/reports/programmes/{programme.id}" not in get(client, "/reports/")
