"""Fixtures shared by the whole suite.

The schema is made once per run by the migrations themselves (so every test also proves them);
each test gets a fresh app and finds every table empty. TEST_DATABASE_URL chooses PostgreSQL;
without it the suite runs on a SQLite file.
"""
import contextlib
import contextvars
import os

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

from trainer import create_app
from trainer.accounts import services as accounts
from trainer.attendance.rules import HeadCount
from trainer.config import TestConfig, normalise_database_url
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.regions.importer import import_region_rows

PASSWORD = "correct-horse-1"

# Property-based tests try the same examples on every run, so that CI is reproducible and a failure seen once
# is seen again; HYPOTHESIS_PROFILE=explore searches afresh, with many more examples, and remembers failures.
settings.register_profile("repeatable", max_examples=40, derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("explore", settings.get_profile("repeatable"), max_examples=500, derandomize=False,
                          database=settings.default.database)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Return the URL of the test database, with the schema built by `flask db upgrade`."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        # Each test process (each pytest-xdist worker) gets a schema of its own in the one test
        # database, so that runs side by side never meet; it is dropped when the process ends.
        with postgresql_schema(normalise_database_url(url), "test") as schema_url:
            yield _migrated(schema_url, tmp_path_factory)
    else:
        yield _migrated("sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db"), tmp_path_factory)


def _migrated(url, tmp_path_factory):
    app = _make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
        db.engine.dispose()
    return url


@contextlib.contextmanager
def postgresql_schema(url: str, prefix: str):
    """Create an empty schema of this process's own in a PostgreSQL database; yield a URL whose connections
    use it; drop it afterwards."""
    schema = f"{prefix}_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, `g` and database session,
    as in production, even while the test itself holds an app context."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # let the test see what the request wrote
        return response


def _make_app(url, instance_path, **overrides):
    config = type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, **overrides})
    app = create_app(config)
    app.instance_path = str(instance_path)
    app.test_client_class = IsolatedClient
    return app


def empty_all_tables() -> None:
    """Delete every row, leaving the schema (the alembic_version table is not in the metadata), and start every id
    from 1 again.

    On PostgreSQL, DELETE of a test's few rows and one setval over the schema's sequences take a tenth of what
    TRUNCATE of every table takes (its cost is per table, whatever it holds): minutes over the suite."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c "
                                "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"))
    db.session.commit()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Return a factory of apps on the test database, with config overrides."""
    made = []

    def factory(**overrides):
        app = _make_app(database_url, tmp_path / "instance", **overrides)
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            if app.config["SQLALCHEMY_DATABASE_URI"] == database_url:
                empty_all_tables()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """Return the app under test, with an app context pushed for the test's own queries."""
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _rows(divisions=2, districts=2, blocks=2, gps=3):
    """Return CSV-style rows of a small state: codes 1.., 100.., 1000.., 10000..."""
    rows = []
    for d in range(1, divisions + 1):
        for t in range(1, districts + 1):
            district = d * 10 + t
            for b in range(1, blocks + 1):
                block = district * 10 + b
                for g in range(1, gps + 1):
                    gp = block * 10 + g
                    rows.append({
                        "division_code": str(d), "division_name_en": f"Division {d}",
                        "division_name_hi": f"संभाग {d}",
                        "district_code": str(100 + district), "district_name_en": f"District {district}",
                        "district_name_hi": f"जिला {district}",
                        "block_code": str(1000 + block), "block_name_en": f"Block {block}",
                        "block_name_hi": f"जनपद {block}",
                        "gp_code": str(10000 + gp), "gp_name_en": f"Gram {gp}", "gp_name_hi": f"ग्राम {gp}",
                    })
    return rows


@pytest.fixture
def region_rows():
    """Return the rows of a small test state: 2 divisions × 2 districts × 2 blocks × 3 GPs."""
    return _rows


@pytest.fixture
def places(app):
    """Load the small test state and return a lookup of its places by LGD code."""
    from trainer.regions.models import Block, District, Division, GramPanchayat
    import_region_rows(_rows())
    db.session.commit()

    class Places:
        division = staticmethod(lambda code: db.session.scalar(db.select(Division).filter_by(lgd_code=code)))
        district = staticmethod(lambda code: db.session.scalar(db.select(District).filter_by(lgd_code=code)))
        block = staticmethod(lambda code: db.session.scalar(db.select(Block).filter_by(lgd_code=code)))
        gp = staticmethod(lambda code: db.session.scalar(db.select(GramPanchayat).filter_by(lgd_code=code)))

    return Places()


# LGD codes in the small state: division 1 > district 111 > block 1111 > GP 11111 ...
AREA_OF_ROLE = {Role.DISTRICT_OFFICER: 111, Role.BLOCK_OFFICER: 1111, Role.SECRETARY: 11111}


@pytest.fixture
def make_user(app):
    """Return a factory of users; officers and secretaries get a default area in division 1."""

    def factory(username=None, role=Role.ADMIN, area_code=None, password=PASSWORD, active=True):
        role = Role(role)
        user = accounts.create_user(username or role.value, password, role,
                                    area_code if area_code is not None else AREA_OF_ROLE.get(role))
        if not active:
            accounts.set_active(user, False)
        db.session.commit()
        return user

    return factory


class AuthActions:
    """Sign in and out through the real pages."""

    def __init__(self, client):
        self._client = client

    def login(self, username="admin", password=PASSWORD, **kwargs):
        return self._client.post("/login", data={"username": username, "password": password}, **kwargs)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(places, make_user, auth):
    """Create a user of a role (in division 1 for area-bound roles) and sign in as them."""

    def factory(role, **kwargs):
        user = make_user(role=role, **kwargs)
        response = auth.login(user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return factory


@pytest.fixture
def make_programme(places):
    """Return a factory of programmes for both test divisions: modules, a calendar proposed and
    (unless publish=False) published. Three 90-minute modules, two daily slots, 21 July to 7 August 2026."""
    from datetime import date

    from trainer.programmes import calendar, services
    from trainer.programmes.models import Programme

    def factory(title="पंचायत प्रशिक्षण", modules=3, publish=True, experts=None, **values):
        fields = dict(title_hi=title, title_en="Panchayat training", description_hi="विवरण",
                      first_day=date(2026, 7, 21), last_day=date(2026, 8, 7), slots=["11:00", "15:00"],
                      holidays=[], parallel=2, divisions=[places.division(1), places.division(2)])
        programme = services.save_programme(Programme(), **{**fields, **values})
        for number in range(1, modules + 1):
            services.add_module(programme, title_hi=f"मॉड्यूल {number}", title_en=f"Module {number}",
                                duration_minutes=90,
                                experts=(experts or {}).get(number, f"Expert {number}"))
        calendar.propose(programme)
        if publish:
            calendar.publish(programme)
        db.session.commit()
        return programme

    return factory


def sessions_of(programme, division_code):
    """Return a programme's sessions for one division (by LGD code), in calendar order."""
    return [s for s in programme.sessions if s.divisions[0].lgd_code == division_code]


@pytest.fixture
def marked(app, make_programme, places):
    """Return a published programme with three GPs trained under rule 1: two of district 111 (block 1111),
    one of district 121."""
    programme = make_programme()
    one, two = sessions_of(programme, 1)[:2]
    other = sessions_of(programme, 2)[0]
    from trainer.attendance import services as attendance
    from trainer.attendance.models import MarkSource, WatchMode
    from trainer.programmes.models import ParticipantRole

    mark = attendance.mark
    mark(one, places.gp(11111), HeadCount(10, {ParticipantRole.SARPANCH: 1}, WatchMode.YOUTUBE),
         MarkSource.POSTER)
    mark(one, places.gp(11112), HeadCount(4), MarkSource.POSTER)
    mark(two, places.gp(11112), HeadCount(6, {ParticipantRole.SARPANCH: 1}), MarkSource.POSTER)
    mark(other, places.gp(12111), HeadCount(7), MarkSource.CHECKLIST)
    db.session.commit()
    return programme


def issued_codes_zip(response) -> bytes:
    """Return the ZIP of new access codes that the page after issuing a block offers for download."""
    import base64
    import re

    [(data, _name)] = re.findall(r'href="data:application/zip;base64,([A-Za-z0-9+/=]+)" download="([^"]+)"',
                                 response.get_data(as_text=True))
    return base64.b64decode(data)
