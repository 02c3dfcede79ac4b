"""Time how the test suite empties PostgreSQL between two tests: TRUNCATE of every table against DELETE of each
table and one setval over the schema's sequences (what tests/conftest.py's empty_all_tables does).

Usage: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/test_table_reset.py [--runs 15]
Migrates a schema of its own (dropped afterwards), puts a test's few rows in (three accounts), then
times each way `--runs` times, alternating, and prints the medians and their ratio with the machine's load.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import text  # noqa: E402

import conftest  # noqa: E402
from trainer.extensions import db  # noqa: E402


class Folders:
    def mktemp(self, name):
        return Path(tempfile.mkdtemp(prefix=name))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args()
    url = conftest.normalise_database_url(os.environ.get("TEST_DATABASE_URL",
                                                         "postgresql://postgres@127.0.0.1:5432/test"))
    with conftest.postgresql_schema(url, "bench_reset") as schema_url:
        app = conftest._make_app(conftest._migrated(schema_url, Folders()), Path(tempfile.mkdtemp()))
        with app.app_context():
            from trainer.accounts import services as accounts
            from trainer.core.roles import Role
            tables = db.metadata.sorted_tables
            names = ", ".join(f'"{t.name}"' for t in tables)

            def truncate():
                db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                db.session.commit()

            timings = {"truncate": [], "delete": []}
            for _ in range(arguments.runs):
                for name, empty in (("truncate", truncate), ("delete", conftest.empty_all_tables)):
                    for role in (Role.ADMIN, Role.TRAINER, Role.DIRECTOR):  # a test's few rows
                        accounts.create_user(role.value, "correct-horse-1", role, None)
                    db.session.commit()
                    start = time.perf_counter()
                    empty()
                    timings[name].append(time.perf_counter() - start)
            db.session.remove()
            db.engine.dispose()
    medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    print(f"{len(tables)} tables, {arguments.runs} runs each, load {os.getloadavg()[0]:.2f}")
    for name, value in medians.items():
        print(f"  {name:<9} median {value:7.1f} ms")
    print(f"  TRUNCATE / DELETE: {medians['truncate'] / medians['delete']:.1f}×")


if __name__ == "__main__":
    main()
