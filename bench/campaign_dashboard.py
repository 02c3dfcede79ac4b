"""Time a campaign's dashboard at full state scale on PostgreSQL: 22,812 gram panchayats, 4 indicators, 26 weekly
periods (about 24 lakh values), the dashboard JSON for the whole state.

The values go in with one INSERT … SELECT per indicator and period-range (every GP × every week), the targets
likewise; nothing is inserted row by row.

Usage: .venv/bin/python bench/campaign_dashboard.py --database-url postgresql://… [--runs 5]
The database's public schema is dropped and recreated first (never point it at a database you need).
Prints the median and the spread over the runs, after one warm-up.
"""
import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from trainer.config import normalise_database_url  # noqa: E402

STARTS_ON, WEEKS = date(2026, 7, 6), 26  # a Monday; 26 weeks to Sunday 3 January 2027
CODES = ("identified", "linked", "accounts", "loans")


def _app(url: str):
    from trainer import create_app
    from trainer.config import Config

    return create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url,
                                                      "SECRET_KEY": Config.SECRET_KEY or "campaign benchmark"}))


def prepare(url: str) -> int:
    """Build the schema, the state, the campaign with its targets and values; return the campaign's id."""
    engine = create_engine(normalise_database_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    from flask_migrate import upgrade

    from trainer.campaigns import services
    from trainer.campaigns.models import Approval, Level, PeriodKind
    from trainer.extensions import db
    from trainer.regions.importer import import_region_rows
    from trainer.tools.demo_regions import demo_region_rows

    app = _app(url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        import_region_rows(demo_region_rows())
        ends_on = STARTS_ON + timedelta(weeks=WEEKS) - timedelta(days=1)
        middle = STARTS_ON + timedelta(weeks=WEEKS // 2)
        campaign = services.save_campaign(services.CampaignValues(
            title_hi="स्वयं सहायता समूह से जोड़ना", title_en="SHG linkage", starts_on=STARTS_ON, ends_on=ends_on,
            period_kind=PeriodKind.WEEK, approval=Approval.DISTRICT,
            phases=(services.PhaseValues(STARTS_ON, middle - timedelta(days=1), "पहला चरण", "Phase 1"),
                    services.PhaseValues(middle, ends_on, "दूसरा चरण", "Phase 2"))), None)
        indicators = [services.save_indicator(campaign, services.IndicatorValues(
            code=code, name_hi=code, name_en=code, unit_hi="परिवारों", unit_en="families", level=Level.GP,
            may_exceed_target=True)) for code in CODES]
        indicators[1].share_of = indicators[0]
        db.session.flush()
        started = time.perf_counter()
        for number, indicator in enumerate(indicators):
            db.session.execute(text(
                "INSERT INTO indicator_targets (indicator_id, gram_panchayat_id, value) "
                "SELECT :indicator, id, 200 + (id * 7 + :n) % 300 FROM gram_panchayats"),
                {"indicator": indicator.id, "n": number})
        # Every GP, every week: a stock growing week by week, a few GPs' values still waiting for approval. The
        # rows go in week by week, as a state's reports arrive.
        for week in range(WEEKS):
            for number, indicator in enumerate(indicators):
                db.session.execute(text(
                    "INSERT INTO indicator_values (indicator_id, period_start, gram_panchayat_id, value, state, "
                    "reported_at) SELECT :indicator, CAST(:start AS date) + 7 * :week, gp.id, "
                    "(gp.id * 3 + :n) % 100 + :week * 5, CASE WHEN (gp.id + :week) % 10 = 0 THEN 'reported' "
                    "ELSE 'approved_district' END, now() FROM gram_panchayats gp ORDER BY gp.id"),
                    {"indicator": indicator.id, "start": STARTS_ON, "n": number, "week": week})
        # The figures the dashboard reads are drawn from the values as they are when a campaign's phases change.
        loaded = time.perf_counter()
        services.rebuild_standing(campaign)
        db.session.commit()
        print(f"kept figures drawn from every value in {time.perf_counter() - loaded:.1f} s", flush=True)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        count = db.session.execute(text("SELECT count(*) FROM indicator_values")).scalar()
        print(f"loaded: {count} values in {time.perf_counter() - started:.1f} s", flush=True)
        campaign_id = campaign.id
        db.engine.dispose()
    return campaign_id


def measure(url: str, campaign_id: int, runs: int) -> list[float]:
    """Build the state's dashboard JSON `runs` times after a warm-up; return the seconds of each."""
    from unittest import mock

    from trainer.campaigns import dashboard, services
    from trainer.core import clock
    from trainer.regions.areas import STATE

    app = _app(url)
    timings = []
    last_day = STARTS_ON + timedelta(weeks=WEEKS) - timedelta(days=1)
    with app.test_request_context("/"), mock.patch.object(clock, "today", lambda: last_day):
        for run in range(runs + 1):
            from trainer.extensions import db

            db.session.expire_all()
            started = time.perf_counter()
            campaign = services.load_campaign(campaign_id)
            found = dashboard.as_json(dashboard.build(campaign, STATE))
            elapsed = time.perf_counter() - started
            if run:
                timings.append(elapsed)
            else:
                print("warm-up:", f"{elapsed:.3f} s;", found["indicators"][1]["sentence_en"], flush=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", type=int, help="time an existing campaign of this id (no loading)")
    arguments = parser.parse_args()
    campaign_id = arguments.reuse or prepare(arguments.database_url)
    timings = measure(arguments.database_url, campaign_id, arguments.runs)
    print(f"dashboard JSON, whole state: median {statistics.median(timings):.3f} s "
          f"(min {min(timings):.3f}, max {max(timings):.3f}, {len(timings)} runs)")


if __name__ == "__main__":
    main()
