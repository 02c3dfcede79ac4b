"""Partners of programmes: whom a programme reaches, adding organisations one by one or all a call selected,
taking one off, who may change them, and the JSON of a programme's partners."""
from datetime import date

import pytest
from sqlalchemy import func, select

from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import calls, programme_partners
from trainer.partners.calls import CallValues
from trainer.partners.models import (
    Application,
    ApplicationState,
    Organisation,
    OrganisationKind,
    ProgrammePartner,
)
from trainer.partners.programme_partners import PartnerError
from trainer.programmes.models import Reach


def make_organisation(name_hi="नर्मदा सेवा संस्थान", name_en="Narmada Seva Sansthan", district=None) -> Organisation:
    organisation = Organisation(name_hi=name_hi, name_en=name_en, kind=OrganisationKind.NGO,
                                name_hi_key=name_hi, name_en_key=name_en.lower(),
                                district_id=district.id if district is not None else None)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_selection(organisations, states=None):
    """Open a call and give it one application per organisation, selected unless `states` says otherwise."""
    call = calls.save_call(CallValues(title_hi="सेक्टर पार्टनर", opens_on=date(2026, 12, 1),
                                      closes_on=date(2026, 12, 31)), None)
    for number, organisation in enumerate(organisations, start=1):
        state = (states or {}).get(number, ApplicationState.SELECTED)
        db.session.add(Application(call_id=call.id, number=number, reference=f"EOI-{call.id}-{number}",
                                   code_hash="x", state=state, name_hi=organisation.name_hi,
                                   kind=OrganisationKind.NGO, organisation_id=organisation.id))
    db.session.commit()
    return call


def partner_ids(programme) -> list[int]:
    return [partner.organisation_id for partner in programme_partners.partners_of(programme)]


def test_a_new_programme_reaches_gram_panchayats_only(app, make_programme):
    programme = make_programme()
    assert programme.reaches is Reach.GRAM_PANCHAYATS
    assert programme.reaches.gram_panchayats and not programme.reaches.partners
    assert Reach.BOTH.gram_panchayats and Reach.BOTH.partners and not Reach.PARTNERS.gram_panchayats


def test_adding_an_organisation_twice_keeps_one_partner(app, make_programme):
    programme, organisation = make_programme(), make_organisation()
    assert programme_partners.add_partners(programme, [organisation.id], None) == 1
    assert programme_partners.add_partners(programme, [organisation.id], None) == 0
    db.session.commit()
    assert partner_ids(programme) == [organisation.id]


def test_all_selected_of_a_call_become_partners_and_the_others_do_not(app, make_programme):
    programme = make_programme()
    chosen, also, refused = (make_organisation(f"संस्था {n}", f"Body {n}") for n in "abc")
    call = make_selection([chosen, also, refused], states={3: ApplicationState.NOT_SELECTED})
    assert programme_partners.add_selected(programme, call, None) == 2
    db.session.commit()
    assert sorted(partner_ids(programme)) == sorted([chosen.id, also.id])
    assert {partner.call_id for partner in programme_partners.partners_of(programme)} == {call.id}


def test_a_call_that_selected_nobody_adds_nothing(app, make_programme):
    programme, organisation = make_programme(), make_organisation()
    call = make_selection([organisation], states={1: ApplicationState.SHORTLISTED})
    with pytest.raises(PartnerError):
        programme_partners.add_selected(programme, call, None)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ProgrammePartner)) == 0


def test_an_unknown_organisation_is_refused_whole(app, make_programme):
    programme, organisation = make_programme(), make_organisation()
    with pytest.raises(PartnerError):
        programme_partners.add_partners(programme, [organisation.id, organisation.id + 100], None)
    db.session.rollback()
    assert partner_ids(programme) == []


def test_a_planner_sets_the_reach_adds_finds_and_removes_partners_on_the_page(client, login_as, make_programme):
    programme = make_programme()
    organisation = make_organisation()
    other = make_organisation("गंगा ट्रस्ट", "Ganga Trust")
    login_as(Role.TRAINER)
    page = client.get(f"/partners/programmes/{programme.id}?q=narmada").get_data(as_text=True)
    assert "Narmada" in page or "नर्मदा" in page
    assert "गंगा" not in page
    response = client.post(f"/partners/programmes/{programme.id}/reach", data={"reaches": "both"})
    assert response.status_code == 302
    response = client.post(f"/partners/programmes/{programme.id}/organisations",
                           data={"organisation": str(organisation.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert programme.reaches is Reach.BOTH and partner_ids(programme) == [organisation.id]
    # Once a partner, it is no longer offered to add.
    page = client.get(f"/partners/programmes/{programme.id}?q=narmada").get_data(as_text=True)
    assert f'name="organisation" value="{organisation.id}"' not in page
    response = client.post(f"/partners/programmes/{programme.id}/organisations/{organisation.id}/remove")
    assert response.status_code == 302
    assert partner_ids(programme) == []
    assert client.post(f"/partners/programmes/{programme.id}/organisations/{other.id}/remove").status_code == 404


def test_a_bad_reach_or_organisation_is_answered_with_a_hindi_message(client, login_as, make_programme):
    programme = make_programme()
    login_as(Role.ADMIN)
    response = client.post(f"/partners/programmes/{programme.id}/reach", data={"reaches": "everyone"})
    assert response.status_code == 422
    response = client.post(f"/partners/programmes/{programme.id}/organisations", data={"organisation": "999"})
    assert response.status_code == 422 and "ऐसी कोई संस्था नहीं है" in response.get_data(as_text=True)
    db.session.expire_all()
    assert programme.reaches is Reach.GRAM_PANCHAYATS


def test_the_call_form_adds_every_selected_organisation(client, login_as, make_programme):
    programme = make_programme()
    organisations = [make_organisation(f"संस्था {n}", f"Body {n}") for n in range(3)]
    call = make_selection(organisations)
    login_as(Role.TRAINER)
    assert client.post(f"/partners/programmes/{programme.id}/selected", data={"call": str(call.id)}).status_code == 302
    assert len(partner_ids(programme)) == 3


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER])
def test_only_planners_change_a_programmes_partners(client, login_as, make_programme, role):
    programme, organisation = make_programme(), make_organisation()
    login_as(role)
    assert client.get(f"/partners/programmes/{programme.id}").status_code == 403
    assert client.post(f"/partners/programmes/{programme.id}/organisations",
                       data={"organisation": str(organisation.id)}).status_code == 403
    assert partner_ids(programme) == []


def test_the_json_lists_whom_a_programme_reaches_and_its_partners(client, login_as, make_programme, places):
    programme = make_programme()
    organisation = make_organisation(district=places.district(111))
    programme_partners.add_partners(programme, [organisation.id], None)
    programme_partners.set_reach(programme, Reach.PARTNERS)
    db.session.commit()
    login_as(Role.DIRECTOR)
    body = client.get(f"/api/v1/programmes/{programme.id}/partners").get_json()
    assert body["reaches"] == "partners"
    assert [(p["organisation"], p["district"]["code"]) for p in body["partners"]] == [(organisation.id, 111)]
    assert client.get("/api/v1/programmes/999/partners").status_code == 404
