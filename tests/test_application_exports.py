"""A call's applications as a file for its planners: one row per application with every field, its state, a
duplicate's first application, the decision (prepared or published) and one column per question with the answer
in words; the CSV and the workbook hold the same; the list's state filter applies; other staff are refused."""
import csv
import io

import openpyxl

from tests.test_call_questions import ask_every_kind
from tests.test_calls import in_december, open_call, pdf_bytes  # noqa: F401 (fixture)
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import applications, screening, states
from trainer.partners.models import ApplicationState, DecisionOutcome
from trainer.questionnaires.models import QuestionKind


def apply(call, asked, name, darpan, answers):
    application, _code = applications.start_application(call, applications.ApplicationValues(
        kind=applications.OrganisationKind.NGO, name_hi=name, darpan_id=darpan, contact_name="रेखा",
        contact_mobile="9876500011", themes=("water", "health")),
        (applications.Upload(call.documents[0].id, "registration.pdf", pdf_bytes()),),
        answers={asked[kind].id: value for kind, value in answers.items()})
    applications.submit(application)
    return application


def test_the_file_has_every_field_state_decision_and_answer(client, login_as, places, in_december):
    call = open_call()
    asked = ask_every_kind(call)
    required = {QuestionKind.RATING: "4", QuestionKind.SINGLE: "o1", QuestionKind.LONG_TEXT: "ग्राम सभा प्रशिक्षण"}
    first = apply(call, asked, "जल सेवा समिति", "MP/2017/0123456", {**required, QuestionKind.MULTIPLE: ["o1", "o3"]})
    again = apply(call, asked, "जल सेवा समिति भोपाल", "MP/2017/0123456", required)
    other = apply(call, asked, "स्वास्थ्य मंच", "MP/2018/0999999", required)
    states.change_state(other, ApplicationState.IN_SCREENING, by_id=None)
    screening.prepare_decision(other, DecisionOutcome.SELECTED, None)
    db.session.commit()
    assert again.state is ApplicationState.DUPLICATE
    login_as(Role.TRAINER)
    assert "applications.xlsx" in client.get(f"/partners/calls/{call.id}/applications").get_data(as_text=True)
    response = client.get(f"/partners/calls/{call.id}/applications.csv")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, lines = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[:2] == ["संदर्भ संख्या", "स्थिति"] and "किन संभागों में काम करती है?" in header
    assert list(lines) == [first.reference, again.reference, other.reference]
    mine = lines[first.reference]
    assert mine["किन संभागों में काम करती है?"] == "भोपाल, रीवा" and mine["क्या संस्था FCRA पंजीकृत है?"] == "हाँ"
    assert mine["पंचायतों के साथ अनुभव कितना है?"] == "4" and mine["मोबाइल"] == "9876500011"
    assert mine["भेजे गए दस्तावेज़"] == "registration.pdf" and mine["दर्पण आईडी"] == "MP/2017/0123456"
    assert lines[again.reference]["किसका दोहराव"] == first.reference
    assert "तैयार, अभी प्रकाशित नहीं" in lines[other.reference]["निर्णय"]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/partners/calls/{call.id}/applications.xlsx").data))
    sheet = workbook.active
    assert [cell.value or "" for cell in next(sheet.iter_rows())] == header
    assert sheet.max_row == 4
    only = client.get(f"/partners/calls/{call.id}/applications.csv?state=duplicate").get_data(as_text=True)
    assert [row[0] for row in csv.reader(io.StringIO(only.lstrip("\ufeff")))][1:] == [again.reference]
    assert client.get(f"/partners/calls/{call.id}/applications.pdf").status_code == 404


def test_only_the_call_s_planners_download_its_applications(client, login_as, places, in_december):
    call = open_call()
    login_as(Role.DISTRICT_OFFICER)
    assert client.get(f"/partners/calls/{call.id}/applications.csv").status_code == 403
    assert "applications.xlsx" not in client.get(f"/partners/calls/{call.id}/applications").get_data(as_text=True)
