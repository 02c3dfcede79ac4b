"""Time `flask regions import` of the demo state's 22,812-row CSV: into an empty database, and again.

Usage: .venv/bin/python bench/import_regions.py [--runs 5] [--database-url URL]
Without --database-url each run uses a new SQLite file; with a PostgreSQL URL each run drops and
recreates its public schema first. Prints the median and spread of each phase.
"""
import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.tools.demo_regions import REGION_COLUMNS, demo_region_rows  # noqa: E402


def flask(env, *args):
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(env, *args) -> float:
    start = time.perf_counter()
    flask(env, *args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="trainer-bench-"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGION_COLUMNS)
    writer.writeheader()
    writer.writerows(demo_region_rows())
    path = work / "state.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    results = {"first import": [], "re-import (unchanged)": [], "flask --help (start-up)": []}
    for run in range(options.runs):
        env = dict(os.environ)
        if options.database_url:
            env["DATABASE_URL"] = options.database_url
            env.setdefault("SECRET_KEY", "trainer import benchmark")  # a server database needs a shared key
            subprocess.run(["psql", options.database_url, "-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            env["DATABASE_URL"] = f"sqlite:///{work}/run{run}.db"
        flask(env, "db", "upgrade")
        results["flask --help (start-up)"].append(timed(env, "--help"))
        results["first import"].append(timed(env, "regions", "import", str(path)))
        results["re-import (unchanged)"].append(timed(env, "regions", "import", str(path)))
    print(f"rows: 22,812; runs: {options.runs}; database: {'PostgreSQL' if options.database_url else 'SQLite'}")
    for phase, times in results.items():
        print(f"{phase:<26} median {statistics.median(times):6.2f} s   min {min(times):6.2f}   max {max(times):6.2f}")


if __name__ == "__main__":
    main()
