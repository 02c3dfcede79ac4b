"""The partner organisations' access codes: issued as the gram panchayats' are (one hashing, one way of issuing),
shown once, reissued with their history, from the partners page and from `flask partners codes`."""
import csv
import io

from sqlalchemy import select

from tests.test_programme_partners import make_organisation
from trainer.attendance import services as attendance
from trainer.attendance.models import AccessCode
from trainer.core import codes
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import programme_partners
from trainer.partners.models import OrganisationAccessCode, OrganisationAccessCodeIssue


def test_a_reissued_code_replaces_the_old_one_and_both_issues_are_kept(app, make_user):
    admin = make_user()
    organisation = make_organisation()
    first = programme_partners.issue_code(organisation, admin.id)
    second = programme_partners.issue_code(organisation)
    db.session.commit()
    record = programme_partners.code_of(organisation.id)
    assert record.version == 2 and record.code_hash not in (first, second)
    assert programme_partners.code_is_right(organisation.id, record.code_hash, f"{second[:4]} {second[4:]}")
    assert not programme_partners.code_is_right(organisation.id, record.code_hash, first)
    assert [(issue.version, issue.issued_by_id) for issue in programme_partners.code_history(organisation)] == [
        (2, None), (1, admin.id)]


def test_an_organisations_code_never_opens_a_gram_panchayat_with_the_same_id(app, places):
    gp = places.gp(11111)
    organisation = make_organisation()
    code = attendance.issue_code(gp)
    db.session.commit()
    gp_hash = db.session.get(AccessCode, gp.id).code_hash
    assert attendance.code_is_right(gp.id, gp_hash, code)
    assert not programme_partners.code_is_right(gp.id, gp_hash, code)
    assert codes.code_hash(attendance.GP_CODE_PURPOSE, str(gp.id), code) == gp_hash
    assert organisation.id  # the registry and the GPs keep their own codes, whatever their ids


def test_the_partners_page_issues_missing_codes_once_and_reissues_one(client, login_as, make_programme):
    programme = make_programme()
    one, two = make_organisation(), make_organisation("गंगा ट्रस्ट", "Ganga Trust")
    programme_partners.add_partners(programme, [one.id, two.id], None)
    programme_partners.issue_code(one)
    db.session.commit()
    login_as(Role.TRAINER)
    response = client.post(f"/partners/programmes/{programme.id}/codes")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "गंगा ट्रस्ट" in page and "नर्मदा" not in page
    assert db.session.scalar(select(OrganisationAccessCode.version).filter_by(organisation_id=two.id)) == 1
    refused = client.post(f"/partners/programmes/{programme.id}/organisations/{one.id}/code")
    assert refused.status_code == 302
    assert programme_partners.code_of(one.id).version == 1
    response = client.post(f"/partners/programmes/{programme.id}/organisations/{one.id}/code", data={"confirm": "y"})
    assert response.status_code == 200 and "नर्मदा" in response.get_data(as_text=True)
    db.session.expire_all()
    assert programme_partners.code_of(one.id).version == 2
    other = make_organisation("बाहरी संस्था", "Outsider")
    assert client.post(f"/partners/programmes/{programme.id}/organisations/{other.id}/code",
                       data={"confirm": "y"}).status_code == 404


def test_the_command_writes_the_codes_that_open_the_organisations(app, runner, make_programme, tmp_path):
    programme = make_programme()
    organisation = make_organisation()
    programme_partners.add_partners(programme, [organisation.id], None)
    db.session.commit()
    path = tmp_path / "codes.csv"
    result = runner.invoke(args=["partners", "codes", str(programme.id), "--csv", str(path)])
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    record = programme_partners.code_of(organisation.id)
    assert row["organisation_id"] == str(organisation.id)
    assert programme_partners.code_is_right(organisation.id, record.code_hash, row["access_code"])
    again = runner.invoke(args=["partners", "codes", str(programme.id), "--csv", str(path)])
    assert again.exit_code != 0 and programme_partners.code_of(organisation.id).version == 1
    assert runner.invoke(args=["partners", "codes", str(programme.id), "--csv", str(path), "--all"]).exit_code == 0
    assert db.session.scalar(select(OrganisationAccessCodeIssue.version).order_by(
        OrganisationAccessCodeIssue.id.desc()).limit(1)) == 2
