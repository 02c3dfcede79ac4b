"""Time the programme report at full state scale: its JSON and its PDF, on SQLite and on PostgreSQL.

The data: the demo state (22,812 gram panchayats in 10 divisions), the model-case programme of 80 sessions
(8 modules × 10 divisions), most GPs marking most of their sessions (about 1,50,000 attendance rows) and
about 1,00,000 feedback responses, made by the same generator as `flask demo` at higher rates.

Usage: .venv/bin/python bench/reports.py [--runs 5] [--database-url URL] [--scale 1.0]
Without --database-url a new SQLite file is used; a PostgreSQL URL has its public schema dropped and
recreated first (never point it at a database you need). --scale thins attendance and feedback to see how
the timings grow with the data. Prints medians over the runs, after one warm-up request each.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from trainer.config import normalise_database_url  # noqa: E402


def _app(url: str):
    """Create the app on the benchmark's database (never the instance folder's)."""
    from trainer import create_app
    from trainer.config import Config

    return create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url,
                                                      "SECRET_KEY": Config.SECRET_KEY or "trainer reports benchmark"}))


def prepare(url: str, scale: float) -> None:
    """Build the schema and load the state, the model-case programme and its activity."""
    if url.startswith("postgresql"):
        engine = create_engine(normalise_database_url(url))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    from datetime import date

    from flask_migrate import upgrade

    from trainer.accounts.services import create_user
    from trainer.core.roles import Role
    from trainer.extensions import db
    from trainer.regions.importer import import_region_rows
    from trainer.regions.models import Division
    from trainer.tools import demo_activity
    from trainer.tools.demo_programmes import MODEL_CASE_MODULES, _ensure
    from trainer.tools.demo_regions import demo_region_rows

    app = _app(url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        import_region_rows(demo_region_rows())
        create_user("bench-director", "bench-director-password", Role.DIRECTOR, None)
        divisions = list(db.session.scalars(select(Division).order_by(Division.lgd_code)))
        programme = _ensure("जीपीडीपी एवं सुशासन प्रशिक्षण 2026", "GPDP and good governance training 2026",
                            MODEL_CASE_MODULES, divisions, date(2026, 7, 21), date(2026, 8, 7), parallel=3)
        from trainer.programmes.services import advance_statuses
        advance_statuses()
        rates = demo_activity.Rates(attend_first=0.75 * scale, attend_last=0.9 * scale,
                                    responses_per_attendance=0.67)
        marks, responses = demo_activity.grow(programme, rates)
        db.session.commit()
        print(f"loaded: {marks} attendance rows, {responses} feedback responses", flush=True)
        db.engine.dispose()


def measure(url: str, runs: int) -> dict[str, list[float]]:
    from trainer.extensions import db
    from trainer.programmes.models import Programme
    from trainer.regions.areas import STATE
    from trainer.reports import queries

    app = _app(url)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    response = client.post("/login", data={"username": "bench-director", "password": "bench-director-password"})
    assert response.status_code == 302, response.status_code
    timings: dict[str, list[float]] = {"report queries": [], "JSON (GET /api/v1/programmes/1/report)": [],
                                       "PDF (GET /reports/programmes/1.pdf)": []}
    with app.app_context():
        programme = db.session.scalar(select(Programme))
        programme_id = programme.id
        for run in range(runs + 1):
            start = time.perf_counter()
            queries.programme_report(programme, STATE)
            elapsed = time.perf_counter() - start
            if run:
                timings["report queries"].append(elapsed)
            db.session.expire_all()
    for label, path in (("JSON (GET /api/v1/programmes/1/report)", f"/api/v1/programmes/{programme_id}/report"),
                        ("PDF (GET /reports/programmes/1.pdf)", f"/reports/programmes/{programme_id}.pdf")):
        for run in range(runs + 1):
            start = time.perf_counter()
            response = client.get(path)
            body = response.get_data()
            elapsed = time.perf_counter() - start
            assert response.status_code == 200 and body, (path, response.status_code)
            if run:
                timings[label].append(elapsed)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--scale", type=float, default=1.0)
    options = parser.parse_args()
    url = options.database_url or "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="trainer-bench-")) / "bench.db")
    started = time.perf_counter()
    prepare(url, options.scale)
    print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)
    engine = create_engine(normalise_database_url(url))
    with engine.connect() as connection:
        counts = {name: connection.execute(select(func.count()).select_from(text(name))).scalar()
                  for name in ("attendances", "feedback_responses", "feedback_answers")}
    engine.dispose()
    print("rows:", counts)
    for label, values in measure(url, options.runs).items():
        print(f"{label:42} median {statistics.median(values):.3f} s  "
              f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} runs)")


if __name__ == "__main__":
    main()
