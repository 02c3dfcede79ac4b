"""Time the upload of one period of values for a whole state on PostgreSQL: 22,812 GPs × 4 indicators (91,248
lines of `area_code, indicator, period, value`), checked whole and applied — values, their history and the figures
the dashboard reads — in one transaction, rolled back after each run so that every run writes the same.

Usage: .venv/bin/python bench/campaign_upload.py --database-url postgresql://… [--runs 5]
The database must hold the campaign of bench/campaign_dashboard.py (run that first; it is left as it was).
Prints the median and the spread over the runs, after one warm-up, and the median of each step.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign_dashboard import CODES, _app  # noqa: E402


def measure(url: str, campaign_id: int, runs: int) -> dict[str, list[float]]:
    """Import the last week's values `runs` times after a warm-up; return the seconds of each step of each run."""
    from sqlalchemy import select

    from trainer.campaigns import services, uploads
    from trainer.extensions import db
    from trainer.regions.models import GramPanchayat

    app = _app(url)
    timings: dict[str, list[float]] = {"check": [], "apply": [], "total": []}
    with app.app_context():
        campaign = services.load_campaign(campaign_id)
        period = services.periods_of(campaign)[-1]
        codes = db.session.scalars(select(GramPanchayat.lgd_code).order_by(GramPanchayat.id)).all()
        text = "area_code,indicator,period,value\n" + "".join(
            f"{code},{indicator},{period.key},{(code + number) % 90 + 200}\n"
            for code in codes for number, indicator in enumerate(CODES))
        data = text.encode()
        for run in range(runs + 1):
            campaign = services.load_campaign(campaign_id)
            started = time.perf_counter()
            rows = uploads.table_rows(data, "values.csv", uploads.MAX_ROWS)
            lines = uploads.check_values(campaign, uploads.named_rows(rows))
            checked = time.perf_counter()
            summary = uploads.apply_values(lines)
            db.session.flush()
            done = time.perf_counter()
            db.session.rollback()
            assert summary.added + summary.replaced == len(codes) * len(CODES), summary
            if run:
                timings["check"].append(checked - started)
                timings["apply"].append(done - checked)
                timings["total"].append(done - started)
            else:
                print(f"warm-up: {done - started:.2f} s for {len(lines)} lines", flush=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--campaign", type=int, default=1)
    arguments = parser.parse_args()
    timings = measure(arguments.database_url, arguments.campaign, arguments.runs)
    for step, values in timings.items():
        print(f"{step}: median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, "
              f"{len(values)} runs)")


if __name__ == "__main__":
    main()
