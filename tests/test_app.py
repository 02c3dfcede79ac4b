"""The application shell: configuration, health check, migrations, the demo state."""
import os
import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Config as MigrateConfig
from sqlalchemy import func, select

from trainer import create_app
from trainer.accounts.models import User
from trainer.config import Config, instance_secret_key, normalise_database_url
from trainer.extensions import db
from trainer.regions.models import Block, District, Division, GramPanchayat

ROOT = Path(__file__).resolve().parent.parent


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = instance_secret_key(str(tmp_path))
    assert len(first) == 64
    assert instance_secret_key(str(tmp_path)) == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_app_without_secret_key_uses_the_instance_key(tmp_path, monkeypatch):
    monkeypatch.setattr(Config, "SECRET_KEY", None)
    monkeypatch.setattr(Config, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/x.db")
    app = create_app(Config)
    assert app.config["SECRET_KEY"] == (Path(app.instance_path) / "secret_key").read_text()


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_healthz_reports_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "reachable"}


def test_healthz_is_503_when_the_database_is_unreachable(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/no/such/dir/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_migrations_have_one_head_and_match_the_models(app):
    config = MigrateConfig(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migration_files_are_named_by_date():
    names = [p.name for p in (ROOT / "migrations" / "versions").glob("*.py")]
    assert names and all(n[:8].isdigit() and n[8] == "_" for n in names)


def test_demo_loads_the_model_state_and_accounts_and_is_harmless_twice(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    counts = [db.session.scalar(select(func.count()).select_from(m))
              for m in (Division, District, Block, GramPanchayat)]
    assert counts == [10, 52, 313, 22812]
    for username in ("admin", "trainer", "director", "district", "block", "secretary"):
        assert f"{username} " in result.output and f"demo-{username}" in result.output
    webinar = re.search(r"“Webinar for the partner organisations” \(number \d+\) reaches (\d+) partner "
                        r"organisations; (\d+) of their attendance marks so far; (\d+) of them hold", result.output)
    assert webinar and int(webinar[1]) > 0 and int(webinar[2]) > 0, result.output
    assert "twenty reviewed by the demo admin and trainer, 8 selected and the decisions published" in result.output
    assert int(webinar[1]) == 8  # the webinar's partners are those the call selected
    assert 0 < int(webinar[3]) <= int(webinar[2])  # those that completed it hold its certificate
    campaign = re.search(r"Campaign “Linking every family to a self-help group \(demo\)” \(number (\d+)\): 4 indicators",
                         result.output)
    assert campaign, result.output
    review = re.search(r"Review “JSLPS monthly review, [^”]+” \(JSLPS-DEMO\): 2 meetings with final minutes, 7 directives "
                       r"— 2 reported done or verified, 4 overdue\.", result.output)
    assert review, result.output
    from trainer.campaigns import dashboard
    from trainer.campaigns.models import Campaign
    from trainer.regions.areas import STATE
    board = {item.indicator.code: item for item in dashboard.build(db.session.get(Campaign, int(campaign[1])),
                                                                   STATE).indicators}
    assert board["linked"].sentence_hi == "5,32,630 परिवारों में से 3,39,650 (63.8%)"
    assert board["linked"].sentence_en == "3,39,650 of 5,32,630 families (63.8%)"
    # The review's block directives: one verified and one reported done before their due dates, of four.
    assert board["directives"].sentence_en == "2 of 4 directives (50.0%)"
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert webinar[0] in again.output  # the same partners and marks, not more
    assert campaign[0] in again.output  # the same campaign, not a second one
    assert review[0] in again.output  # the same review and directives, not a second one
    assert "gram panchayat: 0 created, 0 updated, 22812 unchanged" in again.output
    db.session.expire_all()
    places = {u.username: u.place for u in db.session.scalars(select(User))}
    assert places["district"].lgd_code == 401 and places["block"].lgd_code == 5001
    assert places["secretary"].lgd_code == 100001 and places["admin"] is None


def test_wsgi_module_exposes_app():
    source = (ROOT / "wsgi.py").read_text()
    assert "app = create_app()" in source
    assert os.path.exists(ROOT / "requirements.txt")
