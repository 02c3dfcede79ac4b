"""Partners' annual plans (activities, the way through the department, history), quarterly updates and the overdue
ones computed from the clock, the partner's own page opened by reference and code, master trainers, and a master
trainer named as an expert counting in the calendar's clash check."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import masters, plans, services
from trainer.partners.masters import MasterTrainerError, MasterTrainerValues
from trainer.partners.models import (
    ActivityLevel,
    AnnualPlan,
    MasterTrainer,
    OrganisationKind,
    PlanActivity,
    PlanState,
    Progress,
    QuarterlyUpdate,
)
from trainer.partners.plans import ActivityValues, Actor, PlanError, ProgressValues
from trainer.programmes import calendar

STAFF = Actor(user_id=None)


def at(year, month, day, hour=12):
    """Return a moment in Asia/Kolkata as the clock would give it (UTC)."""
    return datetime(year, month, day, hour, tzinfo=clock.IST).astimezone(UTC)


@pytest.fixture
def organisation(places):
    found = services.save_organisation(services.OrganisationValues(name_hi="जल सेवा समिति", name_en="Jal Seva Samiti",
                                                                   kind=OrganisationKind.NGO), None)
    db.session.commit()
    return found


def activity(**values) -> ActivityValues:
    return ActivityValues(**{"title": "ग्राम सभा प्रशिक्षण", "theme": "water", "level": ActivityLevel.STATE,
                             "planned_from": date(2026, 5, 1), "planned_to": date(2026, 5, 31),
                             "participants": 500, **values})


def approved_plan(organisation, year=2026) -> AnnualPlan:
    plan, _code = plans.start_plan(organisation, year, STAFF)
    plans.add_activity(plan, activity(planned_from=date(year, 5, 1), planned_to=date(year, 5, 31)))
    plans.submit(plan, STAFF)
    plans.approve(plan, None)
    db.session.commit()
    return plan


def test_the_financial_year_and_its_quarters_run_from_april_to_march():
    assert plans.financial_year(date(2027, 3, 31)) == 2026 and plans.financial_year(date(2026, 4, 1)) == 2026
    assert [plans.quarter_bounds(2026, q) for q in (1, 4)] == [(date(2026, 4, 1), date(2026, 6, 30)),
                                                               (date(2027, 1, 1), date(2027, 3, 31))]
    assert plans.quarter_bounds(2026, 3) == (date(2026, 10, 1), date(2026, 12, 31))


def test_a_plan_goes_from_draft_to_approved_through_a_return_and_keeps_every_step(app, organisation):
    plan, code = plans.start_plan(organisation, 2026, STAFF)
    assert plan.reference == f"PLAN-2026-{organisation.id:05d}" and len(code) == 8
    plans.add_activity(plan, activity())
    plans.submit(plan, Actor(partner=True))
    plans.return_plan(plan, "ज़िले बताइए", None)
    plans.add_activity(plan, activity(level=ActivityLevel.BLOCK, block_codes=(1111, 1121)))
    plans.submit(plan, Actor(partner=True))
    plans.approve(plan, None)
    db.session.commit()
    assert [event.state for event in plan.events] == [PlanState.DRAFT, PlanState.SUBMITTED, PlanState.RETURNED,
                                                      PlanState.RESUBMITTED, PlanState.APPROVED]
    assert plan.events[2].comment == "ज़िले बताइए" and plan.events[1].by_partner
    assert sorted(area.block.lgd_code for area in plan.activities[1].areas) == [1111, 1121]


def test_states_refuse_the_steps_they_do_not_allow(app, organisation):
    plan, _code = plans.start_plan(organisation, 2026, STAFF)
    with pytest.raises(PlanError):
        plans.submit(plan, STAFF)  # no activities
    for step in (lambda: plans.approve(plan, None), lambda: plans.return_plan(plan, "x", None)):
        with pytest.raises(PlanError):
            step()  # a draft is not with the department
    plans.add_activity(plan, activity())
    plans.submit(plan, STAFF)
    with pytest.raises(PlanError):
        plans.add_activity(plan, activity())  # under review: nothing changes
    with pytest.raises(PlanError):
        plans.return_plan(plan, "  ", None)  # a return says why
    with pytest.raises(PlanError):
        plans.submit(plan, STAFF)
    plans.approve(plan, None)
    for step in (lambda: plans.approve(plan, None), lambda: plans.submit(plan, STAFF),
                 lambda: plans.remove_activity(plan, plan.activities[0])):
        with pytest.raises(PlanError):
            step()
    assert plan.state is PlanState.APPROVED and len(plan.activities) == 1


@pytest.mark.parametrize("values", [dict(title=" "), dict(theme="space"), dict(planned_to=date(2026, 4, 30)),
                                    dict(planned_from=date(2026, 3, 31)), dict(planned_to=date(2027, 4, 1)),
                                    dict(level=ActivityLevel.DISTRICT), dict(level=ActivityLevel.BLOCK),
                                    dict(level=ActivityLevel.BLOCK, block_codes=(9999,)),
                                    dict(level=ActivityLevel.STATE, block_codes=(1111,))])
def test_an_activity_outside_the_year_without_its_areas_or_with_unknown_ones_is_refused(app, organisation, values):
    plan, _code = plans.start_plan(organisation, 2026, STAFF)
    with pytest.raises(PlanError):
        plans.add_activity(plan, activity(**values))
    db.session.rollback()
    assert db.session.scalar(select(func.count(PlanActivity.id))) == 0


def test_one_plan_per_organisation_and_year(app, organisation):
    plans.start_plan(organisation, 2026, STAFF)
    with pytest.raises(PlanError):
        plans.start_plan(organisation, 2026, STAFF)
    plans.start_plan(organisation, 2027, STAFF)


def test_the_plan_opens_with_its_own_code_only_and_a_new_code_replaces_the_old(app, organisation):
    plan, code = plans.start_plan(organisation, 2026, STAFF)
    assert plans.find(plan.reference.lower(), code) is plan
    assert plans.find(plan.reference, "00000000" if code != "00000000" else "11111111") is None
    fresh = plans.new_code(plan)
    assert plans.find(plan.reference, fresh) is plan and (fresh == code or plans.find(plan.reference, code) is None)


def test_an_update_is_overdue_once_its_due_date_passes_and_no_longer_once_sent(app, organisation, monkeypatch):
    app.config["PLAN_UPDATE_DUE_DAYS"] = 15
    plan = approved_plan(organisation)
    # Q1 ends on 30 June; due 15 July: on 15 July it is on time, on 16 July one day late.
    monkeypatch.setattr(clock, "now", lambda: at(2026, 7, 15))
    assert plans.overdue_updates() == []
    monkeypatch.setattr(clock, "now", lambda: at(2026, 7, 16, 0))  # 00:00 in India is still 15 July in UTC
    [late] = plans.overdue_updates()
    assert (late.quarter, late.due_on, late.days_late) == (1, date(2026, 7, 15), 1)
    # Across the year's end: on 1 February 2027 Q1 and Q2 are late, Q3 (due 15 January) too, Q4 not yet.
    monkeypatch.setattr(clock, "now", lambda: at(2027, 2, 1))
    assert [(row.quarter, row.days_late) for row in plans.overdue_updates()] == [(3, 17), (2, 109), (1, 201)]
    plans.submit_update(plan, 2, (ProgressValues(plan.activities[0].id, Progress.DONE, 480, "पूरा"),),
                        Actor(partner=True))
    db.session.commit()
    assert [row.quarter for row in plans.overdue_updates()] == [3, 1]
    app.config["PLAN_UPDATE_DUE_DAYS"] = 35  # Q3 is then due on 4 February
    assert [row.quarter for row in plans.overdue_updates()] == [1]


def test_plans_that_are_not_approved_have_nothing_overdue(app, organisation, monkeypatch):
    plan, _code = plans.start_plan(organisation, 2026, STAFF)
    plans.add_activity(plan, activity())
    plans.submit(plan, STAFF)
    db.session.commit()
    monkeypatch.setattr(clock, "now", lambda: at(2027, 6, 1))
    assert plans.overdue_updates() == []


def test_an_update_gives_every_activity_once_the_quarter_has_begun_and_can_be_corrected(app, organisation,
                                                                                       monkeypatch):
    plan = approved_plan(organisation)
    first = plan.activities[0].id
    monkeypatch.setattr(clock, "now", lambda: at(2026, 6, 1))
    with pytest.raises(PlanError):
        plans.submit_update(plan, 2, (ProgressValues(first, Progress.PARTLY, 10),), STAFF)  # Q2 begins in July
    with pytest.raises(PlanError):
        plans.submit_update(plan, 1, (), STAFF)  # every activity
    plans.submit_update(plan, 1, (ProgressValues(first, Progress.PARTLY, 10),), STAFF)
    plans.submit_update(plan, 1, (ProgressValues(first, Progress.DONE, 450, "सुधार"),), Actor(partner=True))
    db.session.commit()
    [update] = db.session.scalars(select(QuarterlyUpdate)).all()
    assert update.by_partner and [(p.status, p.reached, p.note) for p in update.progress] == \
        [(Progress.DONE, 450, "सुधार")]
    assert plans.activity_totals([plan.id])[first].reached == 450


def test_staff_write_return_and_approve_a_plan_through_the_pages(client, login_as, places, organisation):
    login_as(Role.TRAINER)
    response = client.post("/partners/plans/new", data={"organisation": str(organisation.id), "year": "2026"})
    assert response.status_code == 200 and "PLAN-2026-" in response.get_data(as_text=True)
    plan = db.session.scalar(select(AnnualPlan))
    response = client.post(f"/partners/plans/{plan.id}/activities", data={
        "title": "जिला कार्यशाला", "theme": "health", "level": "district", "planned_from": "2026-06-01",
        "planned_to": "2026-06-02", "participants": "120", "districts": [str(places.district(111).id)]})
    assert response.status_code == 302
    assert client.post(f"/partners/plans/{plan.id}/submit").status_code == 302
    assert client.post(f"/partners/plans/{plan.id}/return", data={"comment": ""}).status_code == 400
    assert client.post(f"/partners/plans/{plan.id}/return", data={"comment": "लक्ष्य बढ़ाइए"}).status_code == 302
    db.session.expire_all()
    assert plan.state is PlanState.RETURNED
    page = client.get(f"/partners/plans/{plan.id}").get_data(as_text=True)
    assert "लक्ष्य बढ़ाइए" in page
    assert client.post(f"/partners/plans/{plan.id}/approve").status_code == 302  # refused: returned, not submitted
    db.session.expire_all()
    assert plan.state is PlanState.RETURNED


def test_a_director_reads_plans_but_may_not_answer_them(client, login_as, organisation):
    plan = approved_plan(organisation)
    login_as(Role.DIRECTOR)
    assert client.get(f"/partners/plans/{plan.id}").status_code == 200
    assert client.get("/partners/plans/overdue").status_code == 200
    assert client.post(f"/partners/plans/{plan.id}/return", data={"comment": "x"}).status_code == 403


def test_the_partner_opens_its_plan_with_reference_and_code_writes_and_submits_it(client, organisation):
    plan, code = plans.start_plan(organisation, 2026, STAFF)
    db.session.commit()
    assert client.get("/plan/mine").status_code == 200  # asks for the reference and code
    assert client.post("/plan", data={"reference": plan.reference, "code": "12345678" if code != "12345678"
                                      else "87654321"}).status_code == 400
    assert client.post("/plan", data={"reference": plan.reference, "code": code}).status_code == 302
    response = client.post("/plan/mine/activities", data={
        "title": "प्रखंड प्रशिक्षण", "theme": "water", "level": "block", "planned_from": "2026-08-01",
        "planned_to": "2026-08-05", "participants": "60", "block_codes": "1111, 4444"})
    assert response.status_code == 400 and "4444" in response.get_data(as_text=True)
    response = client.post("/plan/mine/activities", data={
        "title": "प्रखंड प्रशिक्षण", "theme": "water", "level": "block", "planned_from": "2026-08-01",
        "planned_to": "2026-08-05", "participants": "60", "block_codes": "1111"})
    assert response.status_code == 302
    assert client.post("/plan/mine/submit").status_code == 302
    db.session.expire_all()
    assert plan.state is PlanState.SUBMITTED and plan.events[-1].by_partner
    assert "प्रखंड प्रशिक्षण" in client.get("/plan/mine").get_data(as_text=True)
    client.post("/plan/leave")
    assert client.post("/plan/mine/submit").status_code == 302
    assert "प्रखंड प्रशिक्षण" not in client.get("/plan/mine").get_data(as_text=True)


def test_a_new_code_shuts_out_the_browsers_that_opened_the_plan_with_the_old_one(client, organisation):
    plan, code = plans.start_plan(organisation, 2026, STAFF)
    db.session.commit()
    client.post("/plan", data={"reference": plan.reference, "code": code})
    assert plan.reference in client.get("/plan/mine").get_data(as_text=True)
    plans.new_code(plan)
    db.session.commit()
    assert plan.reference not in client.get("/plan/mine").get_data(as_text=True)


def test_the_partner_sends_a_quarterly_update_from_its_page(client, organisation, monkeypatch):
    plan = approved_plan(organisation)
    code = plans.new_code(plan)
    db.session.commit()
    monkeypatch.setattr(clock, "now", lambda: at(2026, 7, 2))
    client.post("/plan", data={"reference": plan.reference, "code": code})
    activity_id = plan.activities[0].id
    assert client.get("/plan/mine/updates/1").status_code == 200
    response = client.post("/plan/mine/updates/1", data={f"status_{activity_id}": "partly",
                                                         f"reached_{activity_id}": "300",
                                                         f"note_{activity_id}": "बारिश"})
    assert response.status_code == 302
    assert client.post("/plan/mine/updates/3", data={f"status_{activity_id}": "partly",
                                                     f"reached_{activity_id}": "3"}).status_code == 400
    [update] = db.session.scalars(select(QuarterlyUpdate)).all()
    assert update.quarter == 1 and update.by_partner and update.progress[0].reached == 300


def test_a_years_plans_download_with_each_activitys_progress(client, login_as, organisation, monkeypatch):
    plan = approved_plan(organisation)
    monkeypatch.setattr(clock, "now", lambda: at(2026, 7, 2))
    plans.submit_update(plan, 1, (ProgressValues(plan.activities[0].id, Progress.PARTLY, 1234),), STAFF)
    db.session.commit()
    login_as(Role.BLOCK_OFFICER)
    response = client.get("/partners/plans/export.csv?year=2026")
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert response.status_code == 200 and len(lines) == 2
    assert "ग्राम सभा प्रशिक्षण" in lines[1] and "1234" in lines[1] and "आंशिक रूप से पूरी" in lines[1]
    assert client.get("/partners/plans/export.xlsx?year=2026").status_code == 200
    assert len(client.get("/partners/plans/export.csv?year=2027").get_data(as_text=True).splitlines()) == 1
    assert client.get("/partners/plans/export.pdf").status_code == 404


# Master trainers


def test_a_master_trainer_keeps_programmes_and_modules_and_is_an_expert_only_of_what_they_may_teach(
        app, make_programme, organisation):
    programme = make_programme()
    first, second = programme.modules[0], programme.modules[1]
    values = dict(name="  सुनीता   वर्मा ", mobile="+91 98765 43210", email="sunita@example.org",
                  organisation_id=organisation.id, programme_ids=(programme.id,), module_ids=(first.id, second.id))
    trainer = masters.save_master_trainer(MasterTrainerValues(**values, expert_module_ids=(first.id,)))
    db.session.commit()
    assert (trainer.name, trainer.mobile) == ("सुनीता वर्मा", "9876543210")
    assert first.master_trainers == [trainer] and "सुनीता वर्मा" in first.expert_list
    with pytest.raises(MasterTrainerError):
        masters.save_master_trainer(MasterTrainerValues(**{**values, "module_ids": (second.id,)},
                                                        expert_module_ids=(first.id,)), trainer)
    with pytest.raises(MasterTrainerError):
        masters.save_master_trainer(MasterTrainerValues(name="x", mobile="12"))


def test_a_master_trainer_named_in_two_programmes_at_once_is_a_clash(app, places, make_programme):
    first = make_programme(title="पहला", divisions=[places.division(1)], experts={1: "डॉ. आशा"})
    second = make_programme(title="दूसरा", divisions=[places.division(2)], experts={1: "Dev"})
    overlapping = [(a, b) for a in first.sessions for b in second.sessions
                   if a.starts_at < b.ends_at and b.starts_at < a.ends_at
                   and first.modules[0] in a.modules and second.modules[0] in b.modules]
    assert overlapping and calendar.clashes_for(second) == []
    masters.save_master_trainer(MasterTrainerValues(
        name="सुनीता वर्मा", module_ids=(first.modules[0].id, second.modules[0].id),
        expert_module_ids=(first.modules[0].id, second.modules[0].id)))
    db.session.commit()
    clashes = calendar.clashes_for(second)
    assert clashes and all("सुनीता वर्मा" in clash for clash in clashes)


def test_a_master_trainer_typed_by_name_too_counts_once(app, make_programme):
    programme = make_programme(experts={1: "सुनीता  वर्मा\nDev"})
    module = programme.modules[0]
    masters.save_master_trainer(MasterTrainerValues(name="सुनीता वर्मा", module_ids=(module.id,),
                                                    expert_module_ids=(module.id,)))
    assert module.expert_list == ["सुनीता  वर्मा", "Dev"]


def test_planners_add_master_trainers_through_the_page_and_staff_read_them(client, login_as, make_programme):
    programme = make_programme()
    module = programme.modules[0]
    login_as(Role.ADMIN)
    response = client.post("/partners/master-trainers/new", data={
        "name": "रमेश कुमार", "mobile": "9876543210", "programmes": [str(programme.id)],
        "modules": [str(module.id)], "expert_modules": [str(module.id)]})
    assert response.status_code == 302
    trainer = db.session.scalar(select(MasterTrainer))
    assert [m.id for m in trainer.expert_of] == [module.id]
    assert "रमेश कुमार" in client.get(f"/partners/master-trainers/{trainer.id}").get_data(as_text=True)
    response = client.post(f"/partners/master-trainers/{trainer.id}/edit", data={
        "name": "रमेश कुमार", "modules": [], "expert_modules": [str(module.id)]})
    assert response.status_code == 400
    body = client.get("/api/v1/master-trainers").get_json()
    assert body["master_trainers"][0]["mobile"] != "9876543210" and body["total"] == 1


def test_the_json_api_gives_plans_a_plan_and_the_overdue_updates(client, login_as, organisation, monkeypatch):
    plan = approved_plan(organisation)
    monkeypatch.setattr(clock, "now", lambda: at(2026, 8, 1))
    login_as(Role.DISTRICT_OFFICER)
    listed = client.get("/api/v1/plans?year=2026").get_json()
    assert listed["total"] == 1 and listed["plans"][0]["state"] == "approved"
    assert client.get("/api/v1/plans?year=twenty").status_code == 400
    found = client.get(f"/api/v1/plans/{plan.id}").get_json()
    assert [e["state"] for e in found["history"]] == ["draft", "submitted", "approved"]
    overdue = client.get("/api/v1/plans/overdue-updates").get_json()
    assert [(row["quarter"], row["days_late"]) for row in overdue["overdue"]] == [(1, 17)]
    assert client.get("/api/v1/plans/999").status_code == 404


# On a phone


@pytest.mark.browser
def test_the_plan_pages_read_on_a_360_px_phone_and_a_desktop(browser, live_server, make_programme, monkeypatch):
    from trainer.tools.demo_partners import ensure_demo_partners, ensure_demo_plans
    ensure_demo_partners()
    programme = make_programme()
    plan, _trainers = ensure_demo_plans([programme], date(2026, 11, 23))
    code = plans.new_code(plan)
    db.session.commit()
    trainer = db.session.scalar(select(MasterTrainer).order_by(MasterTrainer.id))
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((360, 740), (1280, 900)):
        page = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False).new_page()
        sign_in(page, live_server, "trainer")
        for path, name, seen in (("/partners/plans", "plans", "समर्थन"),
                                 (f"/partners/plans/{plan.id}", "plan", "गतिविधियाँ"),
                                 ("/partners/plans/overdue", "overdue", "कितने दिन देर"),
                                 (f"/partners/plans/{plan.id}/updates/1", "update", "तिमाही 1 की प्रगति"),
                                 ("/partners/plans/new", "new-plan", "वित्तीय वर्ष"),
                                 ("/partners/master-trainers", "masters", "सुनीता वर्मा"),
                                 (f"/partners/master-trainers/{trainer.id}", "master", "विशेषज्ञ के रूप में नामित"),
                                 ("/partners/master-trainers/new", "master-form", "मॉड्यूल जिन्हें वे पढ़ा सकते हैं")):
            page.goto(live_server + path)
            assert seen in page.inner_text("main"), path
            assert page_width(page) <= width, path
            page.screenshot(path=str(ARTIFACTS / f"plans-{name}-{width}.png"), full_page=True)
        page.context.close()
    # The partner's own page, signed out.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()
    phone.goto(live_server + "/plan")
    phone.fill("#reference", plan.reference)
    phone.fill("#code", code)
    phone.click("main button[type=submit]")
    assert "वार्षिक योजना" in phone.inner_text("main") and "साझेदार संस्था द्वारा" in phone.inner_text("main")
    assert page_width(phone) <= 360
    phone.screenshot(path=str(ARTIFACTS / "plans-partner-360.png"), full_page=True)
