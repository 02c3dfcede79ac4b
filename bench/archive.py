"""Time `flask export` and `flask import` of the full demo database, SQLite → PostgreSQL → SQLite.

Usage: .venv/bin/python bench/archive.py [--runs 3] [--database-url URL]
(default URL: postgresql://postgres@127.0.0.1:5432/trainer_archive_bench, a database of its own).
Loads `flask demo` into a new SQLite file, then in each run: exports it, imports the archive into the
PostgreSQL database (whose public schema is dropped, recreated and migrated first, untimed), exports that,
and imports the second archive into a new, migrated SQLite file. Each figure is a whole `flask` process.
Prints the median and spread of each step, the rows, the archive's size and the load of the machine.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def flask(env, *args) -> float:
    start = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/trainer_archive_bench")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="trainer-bench-archive-"))
    base = {**os.environ, "SECRET_KEY": "trainer archive benchmark", "LANG": "C.UTF-8"}
    source = {**base, "DATABASE_URL": f"sqlite:///{work}/source.db"}
    server = {**base, "DATABASE_URL": options.database_url}
    flask(source, "db", "upgrade")
    flask(source, "demo")
    steps = {"export from SQLite": [], "import into PostgreSQL": [], "export from PostgreSQL": [],
             "import into SQLite": []}
    loads = [os.getloadavg()[0]]
    for run in range(options.runs):
        subprocess.run(["psql", options.database_url, "-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        flask(server, "db", "upgrade")
        final = {**base, "DATABASE_URL": f"sqlite:///{work}/final{run}.db"}
        flask(final, "db", "upgrade")
        steps["export from SQLite"].append(flask(source, "export", str(work / "sqlite.zip")))
        steps["import into PostgreSQL"].append(flask(server, "import", str(work / "sqlite.zip")))
        steps["export from PostgreSQL"].append(flask(server, "export", str(work / "postgresql.zip")))
        steps["import into SQLite"].append(flask(final, "import", str(work / "postgresql.zip")))
        loads.append(os.getloadavg()[0])
    with zipfile.ZipFile(work / "sqlite.zip") as archive:
        rows = sum(entry["rows"] for entry in json.loads(archive.read("manifest.json"))["tables"])
    size = (work / "sqlite.zip").stat().st_size
    print(f"rows: {rows:,}; archive: {size / 2**20:.1f} MiB; runs: {options.runs}; "
          f"load average (1 min) from {min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} cores")
    for step, times in steps.items():
        print(f"{step:<24} median {statistics.median(times):6.1f} s   min {min(times):6.1f}   max {max(times):6.1f}")
    print(f"work folder: {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
