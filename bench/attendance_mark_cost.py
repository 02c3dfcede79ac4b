"""What one secretary's mark costs, in-process: CPU, SQL statements, start-up, memory, and where the time goes.

Usage:
    .venv/bin/python bench/attendance_burst.py --limit 10 --runs 1   # once: the state, a session, the codes
    .venv/bin/python bench/attendance_mark_cost.py [--pairs 400] [--runs 3] [--compare DIR] [--profile]
        [--json FILE]
--compare DIR measures another checkout of Trainer (with its own .venv) in the same way, alternating with
this one run by run, and prints both side by side with their ratios; for instance the parent commit:
    git worktree add /tmp/trainer-before <commit> && make -C /tmp/trainer-before install
    .venv/bin/python bench/attendance_mark_cost.py --runs 3 --compare /tmp/trainer-before

It uses the database bench/attendance_burst.py prepares (`trainer_bench`: the whole state, a session running
now for every division, every GP's access code in a CSV) and the same Redis database for rate limits.
Per run and per checkout, in one fresh process of that checkout (its own .venv/bin/python), through Flask's
test client, after emptying the attendance tables and a warm-up of 30 pairs:
  - first-time pairs: a new phone opens the form (GET /a/<token>) and sends its GP's LGD code, access code
    and head-count (POST);
  - remembered pairs: each of those phones again, with the cookie its mark set: GET, then POST the
    head-count alone (the one-tap mark);
measured per pair: the app's CPU inside the WSGI call (thread CPU time), the whole process's CPU (test client
included), the CPU of PostgreSQL's backends of the database (from /proc), and the SQL statements sent
(SQLAlchemy's before_cursor_execute; BEGIN and COMMIT are not statements of ours and are not counted).
Also `flask --help` (the start-up of every app server and command), median of 5, and the process's
resident memory after the pairs. --profile runs extra first-time pairs under cProfile in this checkout and
prints the own time by package and the costliest functions.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from attendance_burst import (  # noqa: E402 (the benchmark's own module, beside this one)
    DATABASE,
    DATABASE_URL,
    WORK,
    app_environment,
    truncate_attendance,
)

CONFIRMATION = "उपस्थित दर्ज"
WARM_UP = 30


def postgres_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backends of the benchmark's database."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if f" {DATABASE} ".encode() not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# The child: one checkout's app, in-process


def hidden_fields(page: str) -> dict:
    import re
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden" and attributes.get("name") not in (None, "next"):
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def the_main_form(page: str) -> str:
    """The attendance form of a page: the one that posts the head-count (the language switch has a form too)."""
    start = page.index('name="participants"')
    return page[page.rindex("<form", 0, start):page.index("</form>", start)]


class Meter:
    """WSGI middleware that adds up the app's CPU and SQL statements per request kind."""

    def __init__(self, app, engine) -> None:
        from sqlalchemy import event
        self.wsgi_app, self.statements, self.kind = app.wsgi_app, 0, None
        self.cpu: dict[str, list[float]] = {}
        self.sql: dict[str, list[int]] = {}
        app.wsgi_app = self
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.statements += 1

    def __call__(self, environ, start_response):
        statements, started = self.statements, time.thread_time()
        body = list(self.wsgi_app(environ, start_response))  # the body is made inside the app's time
        if self.kind:
            self.cpu.setdefault(self.kind, []).append(time.thread_time() - started)
            self.sql.setdefault(self.kind, []).append(self.statements - statements)
        return body


def child(options) -> None:
    sys.path.insert(0, os.getcwd())
    from trainer import create_app
    from trainer.extensions import db

    facts = json.loads((WORK / "state.json").read_text())
    with open(facts["csv"], newline="", encoding="utf-8") as handle:
        rows = [(row["gp_code"], row["access_code"]) for row in csv.DictReader(handle)]
    app = create_app()
    with app.app_context():
        meter = Meter(app, db.engine)
    url = f"/a/{facts['token']}"

    def first_time(gp_code, access_code):
        phone = app.test_client()
        meter.kind = "first GET"
        page = phone.get(url).get_data(as_text=True)
        meter.kind = "first POST"
        done = phone.post(url, data={**hidden_fields(the_main_form(page)), "gp_query": gp_code,
                                     "access_code": access_code, "participants": "12"})
        if CONFIRMATION not in done.get_data(as_text=True):
            raise SystemExit(f"GP {gp_code} not marked: {done.status_code}\n{done.get_data(as_text=True)[-2000:]}")
        return phone

    def remembered(phone):
        meter.kind = "remembered GET"
        page = phone.get(url).get_data(as_text=True)
        if 'name="access_code"' in page:
            raise SystemExit("the phone was not remembered")
        meter.kind = "remembered POST"
        done = phone.post(url, data={**hidden_fields(the_main_form(page)), "participants": "13"})
        if CONFIRMATION not in done.get_data(as_text=True):
            raise SystemExit(f"remembered mark refused: {done.status_code}")

    pairs = options.pairs
    warm, measured, profiled = rows[-WARM_UP:], rows[:pairs], rows[pairs:pairs + options.profile_pairs]
    for phone in [first_time(*row) for row in warm]:
        remembered(phone)
    truncate_attendance()
    meter.cpu.clear()
    meter.sql.clear()
    results = {}
    phones = []

    def phase(name, work):
        cpu, database, wall = time.process_time(), postgres_cpu(), time.perf_counter()
        work()
        results[name] = {"process_cpu_ms": 1000 * (time.process_time() - cpu) / pairs,
                         "postgres_cpu_ms": 1000 * (postgres_cpu() - database) / pairs,
                         "wall_ms": 1000 * (time.perf_counter() - wall) / pairs}

    phase("first-time", lambda: phones.extend(first_time(*row) for row in measured))
    truncate_attendance()  # the phones' next session: marked for the first time, by remembered phones
    phase("remembered", lambda: [remembered(phone) for phone in phones])
    meter.kind = None
    for name in ("first-time", "remembered"):
        prefix = "first" if name == "first-time" else "remembered"
        get, post = f"{prefix} GET", f"{prefix} POST"
        results[name].update({
            "app_cpu_ms": 1000 * (sum(meter.cpu[get]) + sum(meter.cpu[post])) / pairs,
            "app_cpu_ms_get": 1000 * statistics.mean(meter.cpu[get]),
            "app_cpu_ms_post": 1000 * statistics.mean(meter.cpu[post]),
            "statements": (sum(meter.sql[get]) + sum(meter.sql[post])) / pairs,
            "statements_get": max(meter.sql[get]), "statements_post": max(meter.sql[post]),
        })
    with open(f"/proc/{os.getpid()}/status") as status:
        memory = {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith(("VmRSS", "VmHWM"))}
    results["rss_mib"] = round(memory["VmRSS"] / 1024, 1)
    if options.profile_pairs:
        import cProfile
        profiler = cProfile.Profile(time.thread_time)  # CPU, not the wait for PostgreSQL
        profiler.enable()
        phones = [first_time(*row) for row in profiled]
        profiler.disable()
        profiler.dump_stats(options.profile_file)
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()
        for phone in phones:
            remembered(phone)
        profiler.disable()
        profiler.dump_stats(options.profile_file.replace(".prof", "-remembered.prof"))
    print(json.dumps(results))


# The parent: runs, checkouts, start-up, the table


def measure(tree: Path, options, profile: bool) -> dict:
    truncate_attendance()
    command = [str(tree / ".venv/bin/python"), str(Path(__file__).resolve()), "--child", "--pairs", str(options.pairs)]
    if profile:
        command += ["--profile-pairs", str(options.pairs), "--profile-file", str(WORK / "mark.prof")]
    env = app_environment()
    found = subprocess.run(command, cwd=tree, env=env, check=True, capture_output=True, text=True)
    return json.loads(found.stdout.strip().splitlines()[-1])


def start_up(tree: Path, times: int = 5) -> float:
    walls = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run([str(tree / ".venv/bin/flask"), "--help"], cwd=tree, env=app_environment(), check=True,
                       stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def summarise_profile(path: Path, pairs: int, kind: str) -> None:
    import pstats
    stats = pstats.Stats(str(path))
    by_package: dict[str, float] = {}
    total = 0.0
    for (filename, _line, _name), (_calls, _primitive, own, _cumulative, _callers) in stats.stats.items():
        total += own
        by_package[package_of(filename)] = by_package.get(package_of(filename), 0.0) + own
    print(f"\nprofile of {pairs} {kind} pairs (cProfile, own time by package; {1000 * total / pairs:.2f} ms "
          "per pair under the profiler, which slows Python code more than C):")
    for package, own in sorted(by_package.items(), key=lambda item: -item[1])[:18]:
        print(f"  {package:<28} {100 * own / total:5.1f} %  {1000 * own / pairs:6.3f} ms per pair")
    print(f"\ncostliest functions of the {kind} pairs by cumulative time:")
    stats.sort_stats("cumulative").print_stats(40)


def package_of(filename: str) -> str:
    if filename.endswith(".html"):
        return "templates (compiled Jinja)"
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C)"
    parts = Path(filename).parts
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1:]
        return rest[0].removesuffix(".py") if rest else filename
    if "trainer" in parts:
        rest = parts[parts.index("trainer"):]
        return "/".join(rest[:2]).removesuffix(".py")
    if "bench" in parts or "werkzeug" in filename:
        return "the benchmark (test client)"
    return "python stdlib"


FIGURES = [
    ("first-time pair: app CPU (ms, inside the WSGI call)", "first-time", "app_cpu_ms"),
    ("  of which GET form", "first-time", "app_cpu_ms_get"),
    ("  of which POST mark", "first-time", "app_cpu_ms_post"),
    ("first-time pair: PostgreSQL CPU (ms)", "first-time", "postgres_cpu_ms"),
    ("first-time pair: SQL statements", "first-time", "statements"),
    ("  GET form / POST mark, at most", "first-time", ("statements_get", "statements_post")),
    ("remembered pair: app CPU (ms)", "remembered", "app_cpu_ms"),
    ("  of which GET form", "remembered", "app_cpu_ms_get"),
    ("  of which POST mark", "remembered", "app_cpu_ms_post"),
    ("remembered pair: PostgreSQL CPU (ms)", "remembered", "postgres_cpu_ms"),
    ("remembered pair: SQL statements", "remembered", "statements"),
    ("  GET form / POST mark, at most", "remembered", ("statements_get", "statements_post")),
    ("whole process CPU per first-time pair (ms, test client included)", "first-time", "process_cpu_ms"),
]


def figure(result: dict, phase: str, key) -> float | str:
    if isinstance(key, tuple):
        return " / ".join(f"{result[phase][k]:g}" for k in key)
    return result[phase][key]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="another checkout of Trainer, with its own .venv")
    parser.add_argument("--profile", action="store_true", help="profile this checkout's first-time pairs")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-pairs", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--profile-file", default="", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options)
    sys.stdout.reconfigure(line_buffering=True)
    if not (WORK / "state.json").exists():
        raise SystemExit("run bench/attendance_burst.py once first (it prepares the database and the codes)")
    with psycopg.connect(DATABASE_URL) as connection:  # fails clearly if the database is missing
        connection.execute("SELECT 1")
    trees = {"this": ROOT} | ({"compared": options.compare.resolve()} if options.compare else {})
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for number in range(options.runs):
        order = list(trees) if number % 2 == 0 else list(reversed(trees))  # alternate, so drift hits both
        for name in order:
            result = measure(trees[name], options, profile=False)
            runs[name].append(result)
            print(f"run {number + 1} {name}: first-time {result['first-time']['app_cpu_ms']:.2f} ms app + "
                  f"{result['first-time']['postgres_cpu_ms']:.2f} ms PostgreSQL, "
                  f"{result['first-time']['statements']:g} statements; remembered "
                  f"{result['remembered']['app_cpu_ms']:.2f} + {result['remembered']['postgres_cpu_ms']:.2f} ms, "
                  f"{result['remembered']['statements']:g} statements")
    starts = {name: start_up(tree) for name, tree in trees.items()}
    medians = {}
    for name in trees:
        medians[name] = {phase: {key: statistics.median(r[phase][key] for r in runs[name])
                                 for key in runs[name][0][phase]} for phase in ("first-time", "remembered")}
        medians[name]["rss_mib"] = statistics.median(r["rss_mib"] for r in runs[name])
        medians[name]["start_up_s"] = starts[name]
    header = f"\nmedian of {options.runs} run(s) of {options.pairs} pairs"
    print(header + ("" if len(trees) == 1 else f"; compared: {trees['compared']}"))
    names = list(trees)
    print(f"  {'figure':<66}" + "".join(f"{name:>12}" for name in names) + ("   ratio" if len(names) > 1 else ""))
    rows = [(label, [figure(medians[name], phase, key) for name in names]) for label, phase, key in FIGURES]
    rows += [("app process resident memory after the pairs (MiB)", [medians[n]["rss_mib"] for n in names]),
             ("`flask --help` (s, start-up)", [medians[n]["start_up_s"] for n in names])]
    for label, values in rows:
        cells = "".join(f"{v:>12.2f}" if isinstance(v, float) else f"{v!s:>12}" for v in values)
        ratio = ""
        if len(values) > 1 and all(isinstance(v, (int, float)) for v in values) and values[1]:
            ratio = f"   {values[0] / values[1]:.2f}"
        print(f"  {label:<66}{cells}{ratio}")
    if options.profile:
        measure(ROOT, options, profile=True)
        summarise_profile(WORK / "mark.prof", options.pairs, "first-time")
        summarise_profile(WORK / "mark-remembered.prof", options.pairs, "remembered")
    if options.json:
        options.json.write_text(json.dumps({"options": {k: str(v) for k, v in vars(options).items()},
                                            "medians": medians, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
