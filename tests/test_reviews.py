"""The screening of applications: reviewers and their conflicts of interest, the balanced giving out of
applications, reviews with whole-number scores, the screening table (weighted totals, mean, spread, required
criteria not met), its workbook and JSON, and what a reviewer may see."""
import io
from collections import Counter
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.browser_support import browser, live_server, page_width  # noqa: F401 (fixtures)
from trainer.accounts.models import User
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import applications, calls, reviews
from trainer.partners.applications import ApplicationValues
from trainer.partners.calls import CallValues, CriterionValues
from trainer.partners.models import (
    ApplicationState,
    OrganisationKind,
    Recommendation,
    Review,
    ReviewConflict,
    ReviewScore,
)
from trainer.partners.reviews import ReviewError


def make_call(criteria=((2, 10, False), (1, 5, True))):
    call = calls.save_call(CallValues(title_hi="जल जीवन मिशन सेक्टर पार्टनर", opens_on=date(2026, 12, 1),
                                      closes_on=date(2026, 12, 31), themes=("water",)), None)
    for number, (weight, max_score, required) in enumerate(criteria, start=1):
        calls.add_criterion(call, CriterionValues(text_hi=f"मापदंड {number}", weight=weight, max_score=max_score,
                                                  required=required))
    db.session.commit()
    return call


def make_applications(call, entered_by, count, darpan=None):
    made = []
    for number in range(1, count + 1):
        application, _code = applications.start_application(call, ApplicationValues(
            kind=OrganisationKind.NGO, name_hi=f"संस्था {number:02d}", contact_name="सुनीता",
            contact_mobile="9876512345", themes=("water",), darpan_id=darpan and f"{darpan}{number}"),
            entered_by_id=entered_by.id)
        applications.submit(application)
        made.append(application)
    db.session.commit()
    return made


def make_reviewers(make_user, count):
    return [make_user(f"reviewer{number}", Role.TRAINER) for number in range(1, count + 1)]


def name_reviewers(call, users):
    for user in users:
        reviews.add_reviewer(call, user.id, None)
    db.session.commit()


def loads(call):
    rows = db.session.execute(select(Review.user_id, func.count()).group_by(Review.user_id)).all()
    return dict(rows)


# Giving out applications


def test_assignment_is_balanced_never_gives_a_conflict_and_adds_only_what_is_missing(app, make_user):
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 7)
    users = make_reviewers(make_user, 4)
    name_reviewers(call, users)
    reviews.declare_conflict(call, users[0].id, "मेरे भाई इस संस्था में हैं", None, application_id=sent[0].id)
    reviews.declare_conflict(call, users[1].id, "पहले इसी संस्था में काम किया", None,
                             organisation_id=sent[1].organisation_id)
    done = reviews.assign(call, 2, staff.id)
    db.session.commit()
    assert done.added == 14 and not done.shortfalls
    given = {(review.application_id, review.user_id) for review in db.session.scalars(select(Review))}
    assert (sent[0].id, users[0].id) not in given and (sent[1].id, users[1].id) not in given
    assert Counter(application_id for application_id, _user in given) == {a.id: 2 for a in sent}
    counts = loads(call)
    assert set(counts) == {user.id for user in users}
    assert max(counts.values()) - min(counts.values()) <= 1
    # Again: nothing is missing, nothing is added; a new application gets its two.
    assert reviews.assign(call, 2, staff.id).added == 0
    make_applications(call, staff, 1)
    assert reviews.assign(call, 2, staff.id).added == 2
    # Three each: every application gets one more.
    assert reviews.assign(call, 3, staff.id).added == 8


def test_assignment_is_the_same_every_time_for_the_same_data(app, make_user):
    results = []
    for attempt in range(2):
        call = make_call()
        staff = make_user(f"planner{attempt}", Role.ADMIN)
        sent = make_applications(call, staff, 5)
        users = [make_user(f"r{attempt}-{number}", Role.TRAINER) for number in range(3)]
        name_reviewers(call, users)
        reviews.assign(call, 2, staff.id)
        db.session.commit()
        index = {user.id: number for number, user in enumerate(users)}
        results.append(sorted((sent.index(next(a for a in sent if a.id == review.application_id)),
                               index[review.user_id]) for review in db.session.scalars(
            select(Review).where(Review.application_id.in_([a.id for a in sent])))))
    assert results[0] == results[1]


def test_an_application_that_cannot_get_enough_reviewers_is_named(app, make_user):
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 2)
    users = make_reviewers(make_user, 2)
    name_reviewers(call, users)
    reviews.declare_conflict(call, users[0].id, "रिश्तेदार", None, application_id=sent[1].id)
    done = reviews.assign(call, 2, staff.id)
    assert [(s.application.id, s.reviewers) for s in done.shortfalls] == [(sent[1].id, 1)]


def test_a_conflict_declared_later_takes_the_application_back_and_hand_assignment_checks_conflicts(app, make_user):
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 1)
    users = make_reviewers(make_user, 2)
    name_reviewers(call, users)
    reviews.assign_one(call, sent[0].id, users[0].id, staff.id)
    reviews.declare_conflict(call, users[0].id, "रिश्तेदार", users[0].id, organisation_id=sent[0].organisation_id)
    db.session.commit()
    assert db.session.scalar(select(func.count(Review.id))) == 0
    with pytest.raises(ReviewError):
        reviews.assign_one(call, sent[0].id, users[0].id, staff.id)
    with pytest.raises(ReviewError):
        reviews.declare_conflict(call, users[1].id, "  ", None, application_id=sent[0].id)


# Reviews and the screening table


def review(application, user, scores, recommendation=Recommendation.SELECT, comment=""):
    found = db.session.scalar(select(Review).where(Review.application_id == application.id,
                                                   Review.user_id == user.id))
    criteria = application.call.criteria
    reviews.save_review(found, {c.id: s for c, s in zip(criteria, scores, strict=True)}, recommendation, comment)
    db.session.commit()
    return found


def test_totals_mean_spread_and_required_criteria_not_met_are_computed(app, make_user):
    call = make_call()  # weight 2 out of 10; weight 1 out of 5, required
    staff = make_user("planner", Role.ADMIN)
    first, second = make_applications(call, staff, 2)
    users = make_reviewers(make_user, 2)
    name_reviewers(call, users)
    reviews.assign(call, 2, staff.id)
    review(first, users[0], [10, 5])  # (2·1 + 1·1) / 3 = 100
    review(first, users[1], [4, 0], Recommendation.REJECT)  # (2·0.4 + 0) / 3 = 26.67, required not met
    review(second, users[0], [5, 5], Recommendation.MAYBE)  # (2·0.5 + 1) / 3 = 66.67
    rows = reviews.screening(call, "name")
    top, other = rows
    assert [round(r.total, 2) for r in top.reviews] == [100.0, 26.67]
    assert round(top.mean, 2) == 63.33 and round(top.spread, 2) == 73.33 and top.spread_is_large
    assert top.not_met == 1 and top.missing == 0
    assert top.recommendations == {Recommendation.SELECT: 1, Recommendation.MAYBE: 0, Recommendation.REJECT: 1}
    assert round(other.mean, 2) == 66.67 and other.spread is None and other.missing == 1
    assert [row.application.id for row in reviews.screening(call, "spread")][0] == first.id
    assert [row.application.id for row in reviews.screening(call, "mean")] == [second.id, first.id]


@pytest.mark.parametrize("score", ["11", "-1", "3.5", "दस", ""])
def test_a_score_out_of_range_or_not_a_whole_number_is_refused_in_hindi(client, make_user, auth, places, score):
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 1)
    reviewer = make_user("reviewer1", Role.DIRECTOR)
    name_reviewers(call, [reviewer])
    found = reviews.assign_one(call, sent[0].id, reviewer.id, staff.id)
    db.session.commit()
    auth.login(reviewer.username)
    first, second = call.criteria
    response = client.post(f"/partners/reviews/{found.id}", data={
        f"c{first.id}": score, f"c{second.id}": "3", "recommendation": "select"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any(hindi in page for hindi in ("के बीच", "पूर्णांक", "आवश्यक", "अंक")), page
    assert db.session.scalar(select(func.count()).select_from(ReviewScore)) == 0


def test_the_service_refuses_a_score_above_the_maximum_in_hindi(app, make_user):
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 1)
    reviewer = make_user("reviewer1", Role.TRAINER)
    name_reviewers(call, [reviewer])
    found = reviews.assign_one(call, sent[0].id, reviewer.id, staff.id)
    first, second = call.criteria
    with app.test_request_context(), pytest.raises(ReviewError) as refused:
        reviews.save_review(found, {first.id: 11, second.id: 2}, Recommendation.SELECT, "")
    with app.test_request_context():
        assert "0 से 10 तक" in str(refused.value.message)


def test_a_reviewer_scores_an_application_given_to_them_and_changes_it_until_it_is_decided(client, make_user, auth,
                                                                                         places):
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 2)
    reviewer, other = make_user("reviewer1", Role.DISTRICT_OFFICER), make_user("reviewer2", Role.TRAINER)
    name_reviewers(call, [reviewer, other])
    mine = reviews.assign_one(call, sent[0].id, reviewer.id, staff.id)
    theirs = reviews.assign_one(call, sent[1].id, other.id, staff.id)
    db.session.commit()
    auth.login(reviewer.username)
    page = client.get("/partners/reviews").get_data(as_text=True)
    # The application given to another reviewer is not listed (its organisation is, as part of the registry).
    assert sent[0].reference in page and sent[1].reference not in page
    # Not theirs to see or score.
    assert client.get(f"/partners/reviews/{theirs.id}").status_code == 404
    first, second = call.criteria
    assert client.post(f"/partners/reviews/{theirs.id}", data={
        f"c{first.id}": "5", f"c{second.id}": "5", "recommendation": "select"}).status_code == 404
    assert client.get(f"/partners/reviews/{mine.id}").status_code == 200
    assert client.post(f"/partners/reviews/{mine.id}", data={
        f"c{first.id}": "7", f"c{second.id}": "0", "recommendation": "maybe", "comment": "ठीक"}).status_code == 302
    assert client.post(f"/partners/reviews/{mine.id}", data={
        f"c{first.id}": "8", f"c{second.id}": "1", "recommendation": "select"}).status_code == 302
    db.session.refresh(mine)
    assert [row.score for row in mine.scores] == [8, 1] and mine.recommendation is Recommendation.SELECT
    assert db.session.scalar(select(func.count()).select_from(ReviewScore)) == 2
    # Decided: no more changes.
    sent[0].state = ApplicationState.SELECTED
    db.session.commit()
    assert client.post(f"/partners/reviews/{mine.id}", data={
        f"c{first.id}": "2", f"c{second.id}": "2", "recommendation": "reject"}).status_code == 302
    db.session.refresh(mine)
    assert [row.score for row in mine.scores] == [8, 1]
    # Only call managers read the screening.
    assert client.get(f"/partners/reviews/calls/{call.id}/screening").status_code == 403


def test_a_reviewer_declares_a_conflict_and_the_application_is_taken_back(client, make_user, auth, places):
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 1)
    reviewer, outsider = make_user("reviewer1", Role.DIRECTOR), make_user("outsider", Role.DISTRICT_OFFICER)
    name_reviewers(call, [reviewer])
    reviews.assign_one(call, sent[0].id, reviewer.id, staff.id)
    db.session.commit()
    auth.login(reviewer.username)
    assert client.post(f"/partners/reviews/calls/{call.id}/conflicts", data={
        "party": f"o{sent[0].organisation_id}", "reason": "मैं इस संस्था का सदस्य हूँ"}).status_code == 302
    assert db.session.scalar(select(func.count(Review.id))) == 0
    assert reviews.assign(call, 1, staff.id).shortfalls
    db.session.rollback()
    auth.logout()
    auth.login(outsider.username)
    response = client.post(f"/partners/reviews/calls/{call.id}/conflicts", data={
        "party": f"a{sent[0].id}", "reason": "कारण"}, follow_redirects=True)
    assert "ये इस आमंत्रण के समीक्षक नहीं हैं।" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReviewConflict.id))) == 1


def test_a_manager_names_reviewers_gives_out_applications_and_reads_the_screening(client, login_as, make_user):
    login_as(Role.TRAINER)
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 3)
    users = make_reviewers(make_user, 2)
    for user in users:
        assert client.post(f"/partners/reviews/calls/{call.id}/reviewers", data={"user": user.id}).status_code == 302
    page = client.get(f"/partners/reviews/calls/{call.id}").get_data(as_text=True)
    assert "reviewer1" in page and "reviewer2" in page
    response = client.post(f"/partners/reviews/calls/{call.id}/assign", data={"reviewers_each": "3"},
                           follow_redirects=True)
    assert "3" in response.get_data(as_text=True) and db.session.scalar(select(func.count(Review.id))) == 6
    review(sent[0], users[0], [9, 4])
    review(sent[0], users[1], [3, 0], Recommendation.REJECT)
    page = client.get(f"/partners/reviews/calls/{call.id}/screening?sort=spread").get_data(as_text=True)
    assert "संस्था 01" in page and "मापदंड 1" in page
    assert client.post(f"/partners/reviews/calls/{call.id}/assignments/remove", data={
        "application": sent[2].id, "user": users[0].id}).status_code == 302
    assert client.post(f"/partners/reviews/calls/{call.id}/assignments", data={
        "application": sent[2].id, "user": users[0].id}).status_code == 302
    assert client.post(f"/partners/reviews/calls/{call.id}/reviewers/remove", data={
        "user": users[1].id}).status_code == 302
    # The second reviewer's made review stays; the unreviewed ones are taken back.
    assert db.session.scalar(select(func.count(Review.id)).where(Review.user_id == users[1].id)) == 1


def test_the_workbook_has_every_score_and_a_summary_with_numbers_as_numbers(client, login_as, make_user):
    login_as(Role.ADMIN, username="manager")
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 2)
    users = make_reviewers(make_user, 2)
    name_reviewers(call, users)
    reviews.assign(call, 2, staff.id)
    review(sent[0], users[0], [10, 5])
    review(sent[0], users[1], [4, 0], Recommendation.REJECT)
    review(sent[1], users[0], [5, 5], Recommendation.MAYBE)
    response = client.get(f"/partners/reviews/calls/{call.id}/screening.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    summary, scores = workbook.worksheets
    assert summary.title == "सारांश" and scores.title == "अंक"
    header = [cell.value for cell in summary[1]]
    assert header[:3] == ["संदर्भ संख्या", "संस्था", "स्थिति"]
    rows = {row[0]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    first = rows[sent[0].reference]
    assert first[4:10] == (2, 0, 63.33, 26.67, 100.0, 73.33)
    assert rows[sent[1].reference][4:7] == (1, 1, 66.67)
    lines = list(scores.iter_rows(min_row=2, values_only=True))
    assert len(lines) == 3 * 2  # three reviews made × two criteria
    assert all(isinstance(line[6], int) for line in lines)
    assert sorted(line[6] for line in lines if line[0] == sent[0].reference) == [0, 4, 5, 10]


def test_call_managers_read_the_reviews_as_json_and_other_staff_do_not(client, login_as, make_user, auth):
    login_as(Role.TRAINER, username="manager")
    call = make_call()
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 1)
    users = make_reviewers(make_user, 2)
    name_reviewers(call, users)
    reviews.assign(call, 2, staff.id)
    review(sent[0], users[0], [10, 5])
    found = client.get(f"/api/v1/calls/{call.id}/reviews").get_json()
    [application] = found["applications"]
    assert application["mean"] == 100.0 and application["reviews_made"] == 1 and application["reviews_missing"] == 1
    made = next(r for r in application["reviews"] if r["reviewed"])
    assert made["scores"] == [{"criterion_id": c.id, "score": s} for c, s in zip(call.criteria, [10, 5], strict=True)]
    assert client.get("/api/v1/calls/999999/reviews").status_code == 404
    auth.logout()
    make_user("director", Role.DIRECTOR)
    auth.login("director")
    assert client.get(f"/api/v1/calls/{call.id}/reviews").status_code == 403



def test_a_reviewer_scores_on_a_360_px_phone_and_a_manager_reads_the_screening(browser, live_server, make_user):  # noqa: F811
    from tests.browser_support import ARTIFACTS, sign_in
    call = make_call(criteria=((2, 10, False), (1, 5, True), (3, 10, False)))
    staff = make_user("planner", Role.ADMIN)
    sent = make_applications(call, staff, 3)
    director = db.session.scalar(select(User).where(User.username == "director"))
    others = make_reviewers(make_user, 2)
    name_reviewers(call, [director, *others])
    reviews.assign(call, 2, staff.id)
    db.session.commit()
    for application in sent[:2]:
        for user in others:
            if db.session.scalar(select(Review).where(Review.application_id == application.id,
                                                      Review.user_id == user.id)):
                review(application, user, [8, 4, 2], Recommendation.MAYBE, "अनुभव अच्छा, पर दस्तावेज़ अधूरे")
    ARTIFACTS.mkdir(exist_ok=True)
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in(phone, live_server, "director")
    phone.goto(live_server + "/partners/reviews")
    phone.screenshot(path=str(ARTIFACTS / "reviews-mine-360.png"), full_page=True)
    phone.click(".review-list a")
    first, second, third = call.criteria
    phone.fill(f"#c{first.id}", "9")
    phone.fill(f"#c{second.id}", "0")
    phone.fill(f"#c{third.id}", "6")
    phone.check("input[value=select]")
    phone.screenshot(path=str(ARTIFACTS / "reviews-review-360.png"), full_page=True)
    assert page_width(phone) <= 360
    phone.click("main button[type=submit]")
    phone.wait_for_url(live_server + "/partners/reviews")
    assert "आपकी समीक्षा सहेज ली गई।" in phone.content()
    phone.close()
    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(desk, live_server, "trainer")
    desk.goto(f"{live_server}/partners/reviews/calls/{call.id}/screening")
    desk.screenshot(path=str(ARTIFACTS / "reviews-screening-desktop.png"), full_page=True)
    assert "अनिवार्य मापदंड पूरा नहीं" in desk.content()
    desk.goto(f"{live_server}/partners/reviews/calls/{call.id}")
    desk.screenshot(path=str(ARTIFACTS / "reviews-manage-desktop.png"), full_page=True)
    desk.set_viewport_size({"width": 360, "height": 740})
    desk.goto(f"{live_server}/partners/reviews/calls/{call.id}/screening")
    desk.screenshot(path=str(ARTIFACTS / "reviews-screening-360.png"), full_page=True)
    desk.goto(f"{live_server}/partners/reviews/calls/{call.id}")
    desk.screenshot(path=str(ARTIFACTS / "reviews-manage-360.png"), full_page=True)
    assert page_width(desk) <= 360
    desk.close()


def test_a_manager_declares_a_reviewer_s_conflict_and_is_told_which_applications_lack_reviewers(client, login_as,
                                                                                                  make_user):
    manager = login_as(Role.ADMIN, username="manager")
    call = make_call()
    sent = make_applications(call, manager, 2)
    users = make_reviewers(make_user, 2)
    name_reviewers(call, users)
    response = client.post(f"/partners/reviews/calls/{call.id}/conflicts", data={
        "from": "manage", "user": users[1].id, "party": f"a{sent[1].id}", "reason": "रिश्तेदार"},
        follow_redirects=True)
    assert "हितों का टकराव दर्ज हो गया" in response.get_data(as_text=True)
    conflict = db.session.scalar(select(ReviewConflict))
    assert (conflict.user_id, conflict.application_id, conflict.declared_by_id) == (users[1].id, sent[1].id,
                                                                                      manager.id)
    page = client.post(f"/partners/reviews/calls/{call.id}/assign", data={"reviewers_each": "2"},
                       follow_redirects=True).get_data(as_text=True)
    assert f"{sent[1].reference} के 1 समीक्षक" in page and sent[0].reference + " के" not in page
    assert client.post(f"/partners/reviews/calls/{call.id}/assign", data={"reviewers_each": "0"}).status_code == 400
