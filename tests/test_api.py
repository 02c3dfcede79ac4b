"""The JSON twins of the reports under /api/v1: staff only, area-limited, the query layer's figures, and
every answer as docs/openapi.json describes it."""
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from tests import test_report_pages as report_pages
from trainer.core.roles import Role
from trainer.regions.areas import STATE, Area
from trainer.reports import queries
from trainer.reports.words import programme_sentences

reported = report_pages.reported  # the same data as the pages' tests
sessions_of = report_pages.sessions_of

SPEC_PATH = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        node = SPEC
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def problems(value, schema: dict, where: str = "$") -> list[str]:
    """Check a value against the subset of JSON Schema the spec uses; return what does not match."""
    schema = resolve(schema)
    found = []
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        kinds = {"null": value is None, "boolean": isinstance(value, bool), "string": isinstance(value, str),
                 "integer": isinstance(value, int) and not isinstance(value, bool),
                 "number": isinstance(value, (int, float)) and not isinstance(value, bool),
                 "array": isinstance(value, list), "object": isinstance(value, dict)}
        if not any(kinds[t] for t in types):
            return [f"{where}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, str) and schema.get("format") in ("date", "date-time"):
        try:
            (date if schema["format"] == "date" else datetime).fromisoformat(value)
        except ValueError:
            found.append(f"{where}: {value!r} is not a {schema['format']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        found += [f"{where}: missing {name}" for name in schema.get("required", []) if name not in value]
        if schema.get("additionalProperties") is False:
            found += [f"{where}: unexpected {name}" for name in value if name not in properties]
        for name, item in value.items():
            if name in properties:
                found += problems(item, properties[name], f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(item, schema["items"], f"{where}[{index}]")
    return found


def assert_documented(response, path: str) -> None:
    """The response's status is declared for the operation, and its body matches the declared schema."""
    operation = SPEC["paths"][path]["get"]
    declared = operation["responses"].get(str(response.status_code))
    assert declared, f"{path} does not declare {response.status_code}"
    declared = resolve(declared)
    assert response.mimetype == "application/json"
    schema = declared["content"]["application/json"]["schema"]
    assert problems(response.get_json(), schema) == []


# Access


API_PATHS = ["/api/v1/programmes", "/api/v1/programmes/{p}/report", "/api/v1/programmes/{p}/untrained",
             "/api/v1/sessions/{s}/report"]


def concrete(path: str, programme) -> str:
    return path.format(p=programme.id, s=programme.sessions[0].id)


@pytest.mark.parametrize("path", API_PATHS)
def test_signed_out_callers_get_401_in_json(client, reported, path):
    response = client.get(concrete(path, reported))
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"
    assert_documented(response, path.replace("{p}", "{programme_id}").replace("{s}", "{session_id}"))


@pytest.mark.parametrize("path", API_PATHS)
def test_secretaries_get_403_in_json(client, login_as, reported, path):
    login_as(Role.SECRETARY)
    response = client.get(concrete(path, reported))
    assert response.status_code == 403 and response.get_json()["error"] == "forbidden"
    assert_documented(response, path.replace("{p}", "{programme_id}").replace("{s}", "{session_id}"))


@pytest.mark.parametrize("url, documented", [
    ("/api/v1/programmes/999/report", "/api/v1/programmes/{programme_id}/report"),
    ("/api/v1/programmes/999/untrained", "/api/v1/programmes/{programme_id}/untrained"),
    ("/api/v1/sessions/999/report", "/api/v1/sessions/{session_id}/report"),
    ("/api/v1/programmes/99999999999999999999/report", "/api/v1/programmes/{programme_id}/report"),
    ("/api/v1/programmes/{p}/untrained?block=9999", "/api/v1/programmes/{programme_id}/untrained"),
])
def test_unknown_ids_get_404_in_json(client, login_as, reported, url, documented):
    login_as(Role.DIRECTOR)
    response = client.get(url.format(p=reported.id))
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert_documented(response, documented)


@pytest.mark.parametrize("url", ["/api/v1/programmes/-1/report", "/api/v1/programmes/abc/report",
                                 "/api/v1/nowhere", "/api/v1/sessions/1"])
def test_addresses_that_match_nothing_get_404_in_json(client, login_as, reported, url):
    login_as(Role.DIRECTOR)
    response = client.get(url)
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_other_methods_get_405_in_json_with_the_allowed_ones(client, login_as, reported):
    login_as(Role.DIRECTOR)
    response = client.post("/api/v1/programmes")
    assert response.status_code == 405 and response.get_json()["error"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_pages_outside_the_api_keep_their_html_errors(client, login_as, reported):
    login_as(Role.DIRECTOR)
    response = client.get("/reports/nowhere")
    assert response.status_code == 404 and response.mimetype == "text/html"


# Figures


def test_the_dashboard_json_lists_every_programme_with_its_figures(client, login_as, reported):
    login_as(Role.DIRECTOR)
    response = client.get("/api/v1/programmes")
    assert_documented(response, "/api/v1/programmes")
    glance = queries.dashboard(STATE)[0]
    listed = response.get_json()
    assert listed["area"] == {"level": "state", "code": None, "name_hi": None, "name_en": None}
    assert [(p["id"], p["target_gps"], p["trained_gps"], p["participants"], p["sessions_total"],
             p["sessions_held"], p["first_day"]) for p in listed["programmes"]] == [
        (reported.id, glance.target_gps, glance.trained_gps, glance.participants, glance.sessions_total,
         glance.sessions_held, "2026-07-21")]


def test_the_programme_report_json_has_the_figures_of_the_queries_at_every_level(client, login_as, reported):
    login_as(Role.DIRECTOR)
    response = client.get(f"/api/v1/programmes/{reported.id}/report")
    assert_documented(response, "/api/v1/programmes/{programme_id}/report")
    data = response.get_json()
    report = queries.programme_report(reported, STATE)
    assert (data["target_gps"], data["trained_gps"], data["districts_reached"], data["blocks_reached"],
            data["participants"]) == (24, 3, 2, 2, 27)
    assert data["sessions_total"] == report.sessions_total and data["sessions_held"] == report.sessions_held
    assert data["share"] == 0.125 and data["by_role"] == report.by_role
    assert data["sentences"] == programme_sentences(report)
    for level in ("division", "district", "block"):
        assert [(c["code"], c["target"], c["reached"], c["participants"], c["share"]) for c in data["coverage"][level]] \
            == [(c.code, c.target, c.reached, c.participants, c.share) for c in report.coverage[level]]
    assert data["progress"] == [{"date": "2026-07-21", "trained": 3, "cumulative": 3}]
    module = data["modules"][0]
    assert (module["position"], module["responses"], module["mean_rating"]) == (1, 3, 4.0)
    assert data["programme"]["divisions"][0] == {"code": 1, "name_hi": "संभाग 1", "name_en": "Division 1"}


def test_the_untrained_json_lists_gps_still_to_be_trained_optionally_of_one_block(client, login_as, reported):
    login_as(Role.DIRECTOR)
    everywhere = client.get(f"/api/v1/programmes/{reported.id}/untrained")
    assert_documented(everywhere, "/api/v1/programmes/{programme_id}/untrained")
    assert everywhere.get_json()["count"] == 21 == len(queries.untrained_gps(reported, STATE))
    block = client.get(f"/api/v1/programmes/{reported.id}/untrained?block=1111").get_json()
    assert block["block"] == 1111 and [gp["code"] for gp in block["gram_panchayats"]] == [11113]
    assert block["gram_panchayats"][0] == {"code": 11113, "name_hi": "ग्राम 1113", "name_en": "Gram 1113",
                                           "block_code": 1111, "block_hi": "जनपद 111", "block_en": "Block 111",
                                           "district_hi": "जिला 11", "district_en": "District 11"}


@pytest.mark.parametrize("value", ["abc", "", "-5", "1.5", "0"])
def test_a_block_that_is_not_an_lgd_code_gets_400(client, login_as, reported, value):
    login_as(Role.DIRECTOR)
    response = client.get(f"/api/v1/programmes/{reported.id}/untrained?block={value}")
    assert response.status_code == 400
    assert_documented(response, "/api/v1/programmes/{programme_id}/untrained")


def test_the_session_report_json_matches_the_queries_and_searches_written_answers(client, login_as, reported):
    login_as(Role.DIRECTOR)
    session = sessions_of(reported, 1)[0]
    response = client.get(f"/api/v1/sessions/{session.id}/report")
    assert_documented(response, "/api/v1/sessions/{session_id}/report")
    data = response.get_json()
    report = queries.session_report(session, STATE)
    assert (data["target_gps"], data["present_gps"], data["participants"]) == (12, 2, 14)
    assert data["share"] == report.share and data["by_role"] == report.by_role
    assert {(m["mode"], m["gram_panchayats"], m["participants"]) for m in data["by_mode"]} == {
        ("youtube", 1, 10), (None, 1, 4)}
    assert [(b["code"], b["reached"]) for b in data["by_block"] if b["reached"]] == [(1111, 2)]
    assert len(data["absent"]) == 10 and data["session"]["starts_at"] == session.starts_at.isoformat()
    assert data["youtube"] == {"views": 1234, "peak_viewers": 321, "stats_at": None}
    summary = data["feedback"]
    assert (summary["responses"], summary["without_attendance"]) == (3, 1)
    assert summary["ratings"][0]["distribution"] == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}
    assert summary["choices"][0]["options"] == [{"hi": "यूट्यूब", "en": "", "count": 2},
                                                {"hi": "वीसी", "en": "", "count": 1}]
    searched = client.get(f"/api/v1/sessions/{session.id}/report?q=आवाज़").get_json()["feedback"]
    assert [t["text"] for t in searched["texts"]] == ["आवाज़ धीमी"] and searched["query"] == "आवाज़"
    assert searched["texts"][0]["question_hi"] == "सुझाव"


@pytest.mark.parametrize("query, searched", [("%00", ""), ("x" * 5000, "x" * 100), ("100%25_", "100%_"),
                                             ("'; drop table users; --", "'; drop table users; --")])
def test_any_search_text_is_answered(client, login_as, reported, query, searched):
    login_as(Role.DIRECTOR)
    response = client.get(f"/api/v1/sessions/{sessions_of(reported, 1)[0].id}/report?q={query}")
    assert response.status_code == 200
    found = response.get_json()["feedback"]
    assert found["query"] == searched and (found["texts"] == []) == bool(searched)
    assert_documented(response, "/api/v1/sessions/{session_id}/report")


def test_a_block_officer_gets_only_their_block_in_json_and_403_elsewhere(client, login_as, reported, places):
    login_as(Role.BLOCK_OFFICER)
    block = Area.of(places.block(1111))
    listed = client.get("/api/v1/programmes").get_json()["programmes"][0]
    assert (listed["target_gps"], listed["trained_gps"], listed["participants"]) == (3, 2, 20)
    data = client.get(f"/api/v1/programmes/{reported.id}/report").get_json()
    report = queries.programme_report(reported, block)
    assert (data["target_gps"], data["trained_gps"], data["participants"]) == (
        report.target_gps, report.trained_gps, report.participants) == (3, 2, 20)
    assert [d["code"] for d in data["coverage"]["district"]] == [111]
    untrained = client.get(f"/api/v1/programmes/{reported.id}/untrained").get_json()
    assert [gp["code"] for gp in untrained["gram_panchayats"]] == [11113]
    elsewhere = client.get(f"/api/v1/programmes/{reported.id}/untrained?block=1112")
    assert elsewhere.status_code == 403
    assert_documented(elsewhere, "/api/v1/programmes/{programme_id}/untrained")
    session = client.get(f"/api/v1/sessions/{sessions_of(reported, 1)[0].id}/report").get_json()
    assert (session["target_gps"], session["present_gps"], len(session["absent"])) == (3, 2, 1)
    assert client.get(f"/api/v1/sessions/{sessions_of(reported, 2)[0].id}/report").status_code == 403


def test_a_programme_outside_an_officers_area_is_403_and_not_listed(client, login_as, make_programme, places):
    programme = make_programme(divisions=[places.division(2)])
    login_as(Role.BLOCK_OFFICER)
    response = client.get(f"/api/v1/programmes/{programme.id}/report")
    assert response.status_code == 403
    assert_documented(response, "/api/v1/programmes/{programme_id}/report")
    assert client.get("/api/v1/programmes").get_json()["programmes"] == []


# The description


def test_the_openapi_document_describes_every_api_route_and_only_real_ones(app):
    assert SPEC["openapi"] == "3.1.0"
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/")}
    assert set(SPEC["paths"]) == routes
    for path, item in SPEC["paths"].items():
        for operation in item.values():
            for code in ("401", "403"):
                assert code in operation["responses"] or operation.get("security") == [], (path, code)
            if "{" in path:
                assert "404" in operation["responses"], path
    for name in SPEC["components"]["schemas"]:  # every reference resolves
        resolve({"$ref": f"#/components/schemas/{name}"})


def test_the_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == SPEC


def test_the_schema_check_catches_a_wrong_answer():
    report = resolve({"$ref": "#/components/schemas/PlaceCoverage"})
    good = {"code": 1, "name_hi": "क", "name_en": "K", "target": 2, "reached": 1, "participants": 3, "share": 0.5}
    assert problems(good, report) == []
    assert problems({**good, "share": "50%"}, report) and problems({**good, "extra": 1}, report)
    assert problems({k: v for k, v in good.items() if k != "code"}, report)
