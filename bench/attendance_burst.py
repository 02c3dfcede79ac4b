"""The attendance burst: all 22,812 gram panchayats open the form and mark, as fast as the server takes them.

Usage:
    .venv/bin/pip install -r requirements-bench.txt
    bin/apt-install nginx          # Debian's nginx, for --servers 2 and --nginx only (the tests do not need it)
    .venv/bin/python bench/attendance_burst.py [--runs 3] [--users 16] [--workers 2] [--threads 4]
        [--worker-class gthread] [--locust-processes 1] [--healthz-seconds 20] [--json results.json]
        [--reuse-setup] [--limit N] [--servers 1|2] [--nginx] [--phones first-time|remembered] [--compare DIR]
The defaults are the best configuration found on the 2-core machine (docs/PERFORMANCE.md).

Against another checkout (say the commit before a change, with its own .venv), in the same session: each run
starts that checkout's server and this one's in turn, on the same database and codes, and the medians are
printed side by side with their ratios:
    git worktree add /tmp/trainer-before <commit> && make -C /tmp/trainer-before install
    .venv/bin/python bench/attendance_burst.py --runs 3 --compare /tmp/trainer-before --json compared.json
--phones remembered marks with phones that marked their GP before (the cookie of that mark, made at setup):
form without the access code, then the head-count alone.

The two shapes of a deployment (docs/DEPLOY.md), the same burst against each:
    .venv/bin/python bench/attendance_burst.py --runs 3 --json one-server.json
    .venv/bin/python bench/attendance_burst.py --runs 3 --reuse-setup --servers 2 --json two-servers.json
    .venv/bin/python bench/attendance_burst.py --runs 3 --reuse-setup --nginx --json one-behind-nginx.json
A quick check that both shapes work (a few minutes each):
    .venv/bin/python bench/attendance_burst.py --limit 2000 --runs 1
    .venv/bin/python bench/attendance_burst.py --limit 2000 --runs 1 --reuse-setup --servers 2
--servers N starts N gunicorn servers (each with --workers and --threads) on the ports after --port and an
nginx on --port in front of them, configured from deploy/nginx-trainer.conf (its upstream, proxy headers,
timeouts, compression and static files; plain http on loopback instead of https), with TRUSTED_PROXIES=1 as
in production; locust talks to nginx. --nginx puts nginx in front of a single server, to tell nginx's own
cost from the scaling.

1. Resets the PostgreSQL database `trainer_bench` (its public schema), runs `flask db upgrade` and
   `flask demo`, creates a published session running now for all 10 divisions, issues an access code to
   every GP and writes `gp_code,access_code,gp_cookie` to a CSV (--reuse-setup skips this, within the
   session's 3 hours).
2. Starts gunicorn (`gunicorn wsgi:app`, --workers/--threads) on 127.0.0.1 with DATABASE_URL, REDIS_URL
   (db 5) and a fixed SECRET_KEY; with --servers 2 (or --nginx), that many servers behind an nginx.
3. Per run: empties the attendance tables, runs locust headless against /healthz for --healthz-seconds,
   then the marking run (bench/locustfile_attendance.py): every GP exactly once, GET form then POST mark.
4. Checks the database: rows, distinct GPs and revisions all equal to the number of GPs, errors zero.
5. Prints marks/s (GPs / wall time of the marking run), /healthz requests/s, their ratio, p50/p95/p99,
   and the CPU seconds used by gunicorn, nginx, PostgreSQL and locust (which shares the machine's cores),
   from which it derives the same ratio by CPU cost and the marks/s the cores would give if nothing else ran;
   and the memory of the app workers after the burst (RSS, PSS and USS from /proc/<pid>/smaps_rollup).
Medians are over --runs. Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379.
"""
import argparse
import csv
import json
import os
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv/bin"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "trainer_bench"
DATABASE_URL = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/5"
SECRET_KEY = "trainer attendance benchmark"
WORK = Path(tempfile.gettempdir()) / "trainer-attendance-bench"
SESSION_HOURS = 3
CLK_TCK = os.sysconf("SC_CLK_TCK")


def app_environment(behind_proxy: bool = False) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, SECRET_KEY=SECRET_KEY, FLASK_APP="wsgi",
               TRUSTED_PROXIES="1" if behind_proxy else "0")
    env.pop("FLASK_DEBUG", None)
    return env


# 1. The state to mark


def reset_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone() is None:
            connection.execute(f"CREATE DATABASE {DATABASE}")
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def flask(*args) -> None:
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=app_environment(), check=True,
                   stdout=subprocess.DEVNULL)


def create_session_and_codes(csv_path: Path) -> dict:
    """Create a session running now for every division, issue every GP a code; return the setup's facts."""
    os.environ.update(app_environment())  # trainer.config reads the environment when imported
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from trainer import create_app
    from trainer.attendance import device, services, tokens
    from trainer.core.database import utc_now
    from trainer.extensions import db
    from trainer.programmes.models import Programme, SessionStatus, TrainingSession
    from trainer.programmes.services import add_module, save_programme
    from trainer.regions.models import Division, GramPanchayat

    app = create_app()
    with app.app_context():
        divisions = list(db.session.scalars(select(Division).order_by(Division.lgd_code)))
        now = utc_now()
        programme = save_programme(Programme(), title_hi="उपस्थिति बेंचमार्क", title_en="Attendance benchmark",
                                   first_day=date.today() - timedelta(days=1),
                                   last_day=date.today() + timedelta(days=1), slots=[], divisions=divisions)
        module = add_module(programme, title_hi="सभी ग्राम पंचायतों की उपस्थिति",
                            title_en="Every gram panchayat marks", duration_minutes=SESSION_HOURS * 60)
        session = TrainingSession(programme=programme, starts_at=now - timedelta(minutes=5),
                                  ends_at=now + timedelta(hours=SESSION_HOURS), status=SessionStatus.PUBLISHED,
                                  divisions=divisions, modules=[module])
        db.session.add(session)
        db.session.flush()
        started = time.perf_counter()
        gram_panchayats = list(db.session.scalars(select(GramPanchayat).order_by(GramPanchayat.lgd_code)))
        codes = [(gp.lgd_code, services.issue_code(gp)) for gp in gram_panchayats]
        db.session.commit()
        issued_seconds = time.perf_counter() - started
        # What a phone keeps after its first mark (the code is at version 1): for --phones remembered.
        with app.test_request_context():
            cookies = [device.device_cookie_for(gp.id, 1) for gp in gram_panchayats]
        facts = {"session_id": session.id, "token": tokens.make_token(session.id), "gps": len(codes),
                 "csv": str(csv_path), "ends_at": session.ends_at.timestamp()}
        db.engine.dispose()
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["gp_code", "access_code", "gp_cookie"])
        writer.writerows((gp, code, cookie) for (gp, code), cookie in zip(codes, cookies, strict=True))
    print(f"setup: session {facts['session_id']}, {len(codes):,} access codes issued in {issued_seconds:.1f} s")
    return facts


def prepare(reuse: bool) -> dict:
    state_path = WORK / "state.json"
    if reuse and state_path.exists():
        facts = json.loads(state_path.read_text())
        with open(facts["csv"], encoding="utf-8") as handle:
            has_cookies = "gp_cookie" in handle.readline()
        if facts["ends_at"] - time.time() > 20 * 60 and has_cookies:
            print(f"setup: reusing session {facts['session_id']} and {facts['csv']}")
            return facts
        print("setup: the saved session ends soon; preparing anew")
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    reset_database()
    flask("db", "upgrade")
    flask("demo")
    redis.Redis.from_url(REDIS_URL).flushdb()  # db 5 is the benchmark's own
    facts = create_session_and_codes(WORK / "gp_codes.csv")
    state_path.write_text(json.dumps(facts))
    print(f"setup: {time.perf_counter() - started:.0f} s in all")
    return facts


# 2. The servers


class Stack:
    """The processes that answer locust: gunicorn servers, and nginx in front of them or not."""

    def __init__(self) -> None:
        self.servers: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None

    def stop(self) -> None:
        for process in ([self.nginx] if self.nginx else []) + self.servers:
            stop(process)


def start_stack(options, tree: Path = ROOT) -> Stack:
    """Start --servers gunicorn servers of a checkout; with more than one (or --nginx), an nginx on --port in front."""
    stack = Stack()
    proxied = options.servers > 1 or options.nginx
    ports = [options.port + n for n in range(1, options.servers + 1)] if proxied else [options.port]
    try:
        for port in ports:
            stack.servers.append(start_gunicorn(options, port, proxied, tree))
        if proxied:
            stack.nginx = start_nginx(options.port, ports)
    except BaseException:
        stack.stop()
        raise
    return stack


def start_gunicorn(options, port: int, behind_proxy: bool, tree: Path = ROOT) -> subprocess.Popen:
    command = [str(tree / ".venv/bin/gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(options.workers),
               "--threads", str(options.threads), "--worker-class", options.worker_class,
               "--backlog", "2048", "--log-level", "warning", "--no-control-socket",
               # As deploy/gunicorn.conf.py: idle connections outlive nginx's (60 s), so that nginx never
               # sends a request down a connection gunicorn is closing (which nginx sees as a reset).
               "--keep-alive", "75", "wsgi:app"]
    print("server:", shlex.join(command[1:]), "" if tree == ROOT else f"(in {tree})")
    server = subprocess.Popen(command, cwd=tree, env=app_environment(behind_proxy), start_new_session=True)
    wait_for_healthz(f"http://127.0.0.1:{port}", server, "gunicorn")
    return server


def wait_for_healthz(base: str, process: subprocess.Popen, name: str) -> None:
    deadline = time.time() + 60
    while time.time() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"{name} did not answer {base}/healthz within 60 s")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# nginx, configured from the production site


def _block(text: str, opening: str) -> str:
    """Return the body of the first `opening { ... }` block of an nginx configuration."""
    start = text.index(opening)
    depth, position = 0, text.index("{", start)
    for index in range(position, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[position + 1:index]
    raise ValueError(f"unbalanced block {opening!r}")


def nginx_config(listen_port: int, ports: list[int], prefix: Path) -> str:
    """deploy/nginx-trainer.conf's https server as plain http on a loopback port, in front of `ports`.

    Kept from the site: its upstream settings, locations (proxy headers, timeouts, static files), body size
    and compression. Left out: the http-to-https server, TLS, the site's log files and server name.
    """
    site = re.sub(r"#[^\n]*", "", (ROOT / "deploy/nginx-trainer.conf").read_text())
    upstream = _block(site, "upstream trainer_app")
    https = None  # the server block holding `listen 443`
    for match in re.finditer(r"server\s*{", site):
        body = _block(site[match.start():], "server")
        if "listen 443" in body:
            https = body
            break
    if https is None:
        raise SystemExit("deploy/nginx-trainer.conf has no https server block")
    keep = [line for line in upstream.splitlines() if line.strip() and not line.strip().startswith("server ")]
    # Each app server with the same options as the site's own server lines (max_fails, fail_timeout ...).
    options = re.search(r"^\s*server\s+\S+\s*([^;]*);", upstream, re.MULTILINE).group(1)
    servers = [f"        server 127.0.0.1:{port} {options};" for port in ports]
    body = "\n".join(line for line in https.splitlines() if line.strip()
                     and not re.match(r"\s*(listen|server_name|ssl_\w+|(access|error)_log\s+/)", line))
    body = body.replace("/srv/trainer/static/", f"{ROOT}/static/")
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    return f"""# Generated by bench/attendance_burst.py from deploy/nginx-trainer.conf.
{user}worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream trainer_app {{
{chr(10).join(servers)}
{chr(10).join(keep)}
    }}
    server {{
        listen 127.0.0.1:{listen_port};
        server_name localhost;
{body}
    }}
}}
"""


def start_nginx(listen_port: int, ports: list[int]) -> subprocess.Popen:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        raise SystemExit("nginx is needed for --servers 2 and --nginx: `bin/apt-install nginx` (Debian's package)")
    prefix = WORK / "nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(listen_port, ports, prefix))
    subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(config)], check=True)
    print(f"nginx: 127.0.0.1:{listen_port} -> {', '.join(str(port) for port in ports)} ({config})")
    process = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(config), "-g", "daemon off;"],
                               start_new_session=True)
    wait_for_healthz(f"http://127.0.0.1:{listen_port}", process, "nginx")
    return process


# CPU accounting: who used the two cores


def _proc_cpu(pid: str) -> tuple[str, float] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return name, (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _is_bench_backend(pid: str) -> bool:
    """Say whether a postgres process serves this benchmark's database (others may run tests meanwhile)."""
    try:
        return f" {DATABASE} ".encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def cpu_snapshot(stack: Stack) -> dict:
    """CPU seconds so far: the gunicorn servers' process groups, nginx's, this database's PostgreSQL backends,
    finished children (locust), and the whole machine."""
    gunicorn = nginx = postgres = 0.0
    server_groups = {os.getpgid(server.pid) for server in stack.servers}
    nginx_group = os.getpgid(stack.nginx.pid) if stack.nginx else None
    for pid in filter(str.isdigit, os.listdir("/proc")):
        found = _proc_cpu(pid)
        if found is None:
            continue
        name, seconds = found
        if name.startswith("postgres"):
            if _is_bench_backend(pid):
                postgres += seconds
        else:
            try:
                group = os.getpgid(int(pid))
            except OSError:
                continue
            if group in server_groups:
                gunicorn += seconds
            elif group == nginx_group:
                nginx += seconds
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open("/proc/stat") as handle:
        ticks = [int(value) for value in handle.readline().split()[1:]]
    idle = ticks[3] + ticks[4]
    return {"gunicorn": gunicorn, "nginx": nginx, "postgres": postgres,
            "locust": children.ru_utime + children.ru_stime,
            "busy": (sum(ticks) - idle) / CLK_TCK, "all": sum(ticks) / CLK_TCK}


SERVER_SIDE = ("gunicorn", "nginx", "postgres")


def worker_memory(stack: Stack) -> dict:
    """Memory of the app servers' workers (gunicorn's children), MiB: resident (RSS), proportional (PSS: shared
    pages split between the processes sharing them) and unique (USS: what stopping the worker would free)."""
    masters = {server.pid for server in stack.servers}
    found = {"rss": [], "pss": [], "uss": []}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            if int(stat[stat.rindex(")") + 2:].split()[1]) not in masters:
                continue
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except (OSError, ValueError):
            continue
        kib = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.endswith("kB")}
        found["rss"].append(kib["Rss"] / 1024)
        found["pss"].append(kib["Pss"] / 1024)
        found["uss"].append((kib["Private_Clean"] + kib["Private_Dirty"]) / 1024)
    return {key: round(statistics.median(values), 1) if values else None for key, values in found.items()}


def cpu_used(before: dict, after: dict, wall: float) -> dict:
    """CPU seconds spent between two snapshots, and the share of the machine that was busy."""
    used = {key: round(after[key] - before[key], 1) for key in (*SERVER_SIDE, "locust")}
    used["others"] = round(after["busy"] - before["busy"] - sum(used.values()), 1)
    used["machine_busy_percent"] = round(100 * (after["busy"] - before["busy"]) / (after["all"] - before["all"]))
    used["wall"] = round(wall, 1)
    return used


# 3. The load


def run_locust(options, user_class: str, prefix: Path, extra_env: dict, run_time: str) -> dict:
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench/locustfile_attendance.py"), "--headless",
               "--users", str(options.users), "--spawn-rate", str(options.users), "--run-time", run_time,
               "--host", f"http://127.0.0.1:{options.port}", "--json-file", str(prefix), "--only-summary",
               "--loglevel", "WARNING", "--exit-code-on-error", "0", user_class]
    if options.locust_processes > 1:
        command[1:1] = ["--processes", str(options.locust_processes)]
    env = {**os.environ, "BENCH_REDIS_URL": REDIS_URL, **extra_env}
    started = time.perf_counter()
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=log, stderr=subprocess.STDOUT)
    return {"wall": time.perf_counter() - started, "stats": read_stats(prefix)}


def read_stats(prefix: Path) -> dict:
    """Locust's final stats by request name (its --json-file, written at exit): count, failures, times (ms)."""
    rows = {}
    for entry in json.loads(Path(f"{prefix}.json").read_text()):
        times = {int(float(ms)): count for ms, count in entry["response_times"].items()}
        count = entry["num_requests"]
        rows[entry["name"]] = {
            "count": count, "failures": entry["num_failures"],
            "mean": round(entry["total_response_time"] / count, 1) if count else None,
            "p50": percentile(times, count, 0.50), "p95": percentile(times, count, 0.95),
            "p99": percentile(times, count, 0.99), "max": round(entry["max_response_time"] or 0),
        }
    return rows


def percentile(response_times: dict[int, int], count: int, share: float) -> int | None:
    """The response time under which `share` of the requests finished, as locust computes it (its times are
    rounded: to 1 ms under 100 ms, to 10 ms under 1 s, to 100 ms above)."""
    if not count:
        return None
    wanted, seen = int(count * share), 0
    for response_time in sorted(response_times, reverse=True):
        seen += response_times[response_time]
        if count - seen <= wanted:
            return response_time
    return 0


# 4. The check


def truncate_attendance() -> None:
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute("TRUNCATE attendance_revisions, attendances RESTART IDENTITY")


def check_database(session_id: int) -> dict:
    with psycopg.connect(DATABASE_URL) as connection:
        rows, gps, highest = connection.execute(
            "SELECT count(*), count(DISTINCT gram_panchayat_id), coalesce(max(revision), 0) FROM attendances "
            "WHERE session_id = %s", (session_id,)).fetchone()
        revisions = connection.execute(
            "SELECT count(*) FROM attendance_revisions r JOIN attendances a ON a.id = r.attendance_id "
            "WHERE a.session_id = %s", (session_id,)).fetchone()[0]
    return {"rows": rows, "distinct_gps": gps, "revisions": revisions, "highest_revision": highest}


def one_run(options, facts: dict, stack: Stack, number: int) -> dict:
    """Measure /healthz, then mark every GP once; check the database; return the run's figures."""
    truncate_attendance()
    gps = min(options.limit or facts["gps"], facts["gps"])
    load = os.getloadavg()[0]
    before = cpu_snapshot(stack)
    healthz = run_locust(options, "HealthzUser", WORK / f"run{number}_healthz", {}, f"{options.healthz_seconds}s")
    middle = cpu_snapshot(stack)
    marking_env = {"BENCH_TOKEN": facts["token"], "BENCH_GP_CSV": facts["csv"], "BENCH_LIMIT": str(gps)}
    phone = "RememberedPhone" if options.phones == "remembered" else "MarkingPhone"
    marking = run_locust(options, phone, WORK / f"run{number}", marking_env, "60m")
    after = cpu_snapshot(stack)
    memory = worker_memory(stack)
    store = redis.Redis.from_url(REDIS_URL)
    started, finished = (float(store.get(f"bench:attendance:{key}") or 0) for key in ("started_at", "finished_at"))
    answered, failed = (int(store.get(f"bench:attendance:{key}") or 0) for key in ("done", "failed"))
    database = check_database(facts["session_id"])
    wall = finished - started if finished else float("nan")
    stats, health = marking["stats"], healthz["stats"]["GET /healthz"]
    form, mark = stats["GET /a/<token> (form)"], stats["POST /a/<token> (mark)"]
    r = {
        "run": number, "load_before": round(load, 1), "gps": gps, "answered": answered,
        "marking_wall_s": round(wall, 2), "marks_per_s": round(gps / wall, 1),
        "requests_per_s": round(2 * gps / wall, 1),
        "healthz_rps": round(health["count"] / options.healthz_seconds, 1), "healthz_failures": health["failures"],
        "healthz_p50": health["p50"], "healthz_p99": health["p99"],
        # A request that failed, or a GP whose pair did not end in the confirmation page.
        "errors": max(form["failures"] + mark["failures"], failed), "failed_marks": failed,
        "form": form, "mark": mark, "pair": stats["GET form + POST mark"], "database": database,
        "cpu_healthz": cpu_used(before, middle, healthz["wall"]),
        "cpu_marking": cpu_used(middle, after, marking["wall"]),
        "worker_memory_mib": memory,
    }
    r["ratio"] = round(r["marks_per_s"] / r["healthz_rps"], 3)
    r["records_ok"] = (database["rows"] == database["distinct_gps"] == database["revisions"] == gps == answered
                       and database["highest_revision"] == 1)
    marked = max(database["rows"], 1)
    r["cpu_ms_per_mark"] = {key: round(1000 * r["cpu_marking"][key] / marked, 1)
                            for key in (*SERVER_SIDE, "locust")}
    # The machine may be shared: other processes can take CPU during one phase and not the other. The CPU
    # cost of a request does not depend on that, so the ratio and the throughput on dedicated cores follow.
    server_healthz = sum(r["cpu_healthz"][key] for key in SERVER_SIDE)
    r["server_cpu_ms_per_healthz"] = round(1000 * server_healthz / max(health["count"], 1), 2)
    r["server_cpu_ms_per_mark"] = round(sum(r["cpu_ms_per_mark"][key] for key in SERVER_SIDE), 1)
    r["ratio_by_cpu"] = round(r["server_cpu_ms_per_healthz"] / r["server_cpu_ms_per_mark"], 3)
    all_ms = r["server_cpu_ms_per_mark"] + r["cpu_ms_per_mark"]["locust"]
    r["marks_per_s_if_cores_dedicated"] = round(1000 * (os.cpu_count() or 1) / all_ms, 1)
    print_run(r)
    return r


# 5. The report


def print_run(r: dict) -> None:
    db = r["database"]
    print(f"\nrun {r['run']}: {r['gps']:,} GPs marked in {r['marking_wall_s']} s = {r['marks_per_s']} marks/s "
          f"({r['requests_per_s']} requests/s); /healthz {r['healthz_rps']} req/s; ratio {r['ratio']}")
    for label, key in (("GET form", "form"), ("POST mark", "mark"), ("pair", "pair")):
        s = r[key]
        print(f"  {label:<10} n={s['count']:>6}  fail={s['failures']}  p50 {s['p50']} ms  p95 {s['p95']} ms  "
              f"p99 {s['p99']} ms  max {s['max']:.0f} ms")
    print(f"  /healthz   p50 {r['healthz_p50']} ms  p99 {r['healthz_p99']} ms  fail={r['healthz_failures']}")
    print(f"  errors {r['errors']}; database: {db['rows']} rows, {db['distinct_gps']} distinct GPs, "
          f"{db['revisions']} revisions, highest revision {db['highest_revision']} -> "
          f"{'no lost or duplicated records' if r['records_ok'] else 'RECORDS WRONG'}")
    for phase in ("cpu_healthz", "cpu_marking"):
        c = r[phase]
        print(f"  CPU s during {phase[4:]} ({c['wall']} s wall, machine {c['machine_busy_percent']}% busy): "
              f"gunicorn {c['gunicorn']}, nginx {c['nginx']}, postgres {c['postgres']}, locust {c['locust']}, "
              f"other processes {c['others']}")
    per_mark = r["cpu_ms_per_mark"]
    print(f"  CPU ms per mark: gunicorn {per_mark['gunicorn']}, nginx {per_mark['nginx']}, "
          f"postgres {per_mark['postgres']}, locust {per_mark['locust']}; load average before the run "
          f"{r['load_before']}")
    print(f"  memory of one app worker after the burst (median of the workers): RSS {r['worker_memory_mib']['rss']} "
          f"MiB, PSS {r['worker_memory_mib']['pss']} MiB, USS {r['worker_memory_mib']['uss']} MiB")
    print(f"  server CPU ms per /healthz {r['server_cpu_ms_per_healthz']}, per mark {r['server_cpu_ms_per_mark']} "
          f"(ratio by CPU {r['ratio_by_cpu']}); marks/s if the cores were the benchmark's alone "
          f"{r['marks_per_s_if_cores_dedicated']}")


def summarise(results: list[dict], options, title: str = "") -> dict:
    def median(getter):
        return statistics.median(getter(r) for r in results)

    summary = {
        "runs": len(results),
        "marks_per_s": median(lambda r: r["marks_per_s"]), "marking_wall_s": median(lambda r: r["marking_wall_s"]),
        "healthz_rps": median(lambda r: r["healthz_rps"]), "ratio": median(lambda r: r["ratio"]),
        "errors_total": sum(r["errors"] for r in results),
        "records_ok_all_runs": all(r["records_ok"] for r in results),
        "ratio_by_cpu": median(lambda r: r["ratio_by_cpu"]),
        "marks_per_s_if_cores_dedicated": median(lambda r: r["marks_per_s_if_cores_dedicated"]),
    }
    for key in ("form", "mark", "pair"):
        for p in ("p50", "p95", "p99"):
            summary[f"{key}_{p}"] = median(lambda r, key=key, p=p: r[key][p])
    for key in (*SERVER_SIDE, "locust"):
        summary[f"cpu_marking_{key}"] = median(lambda r, key=key: r["cpu_marking"][key])
        summary[f"cpu_ms_per_mark_{key}"] = median(lambda r, key=key: r["cpu_ms_per_mark"][key])
    summary["server_cpu_ms_per_mark"] = median(lambda r: r["server_cpu_ms_per_mark"])
    summary["server_cpu_ms_per_healthz"] = median(lambda r: r["server_cpu_ms_per_healthz"])
    for key in ("rss", "pss", "uss"):
        summary[f"worker_{key}_mib"] = median(lambda r, key=key: r["worker_memory_mib"][key])
    summary["shape"] = shape(options)
    print(f"\nmedian of {len(results)} run(s){title}, {summary['shape']}, {options.workers} workers x "
          f"{options.threads} threads ({options.worker_class}) per server, {options.users} users, "
          f"{options.locust_processes} locust process(es), {options.phones} phones:")
    print(f"  marks/s {summary['marks_per_s']} (whole state in {summary['marking_wall_s']} s); /healthz "
          f"{summary['healthz_rps']} req/s; ratio {summary['ratio']}")
    for key in ("form", "mark", "pair"):
        print(f"  {key:<5} p50 {summary[key + '_p50']} ms  p95 {summary[key + '_p95']} ms  "
              f"p99 {summary[key + '_p99']} ms")
    print(f"  errors {summary['errors_total']}; records right in every run: {summary['records_ok_all_runs']}")
    print(f"  server CPU per mark {summary['server_cpu_ms_per_mark']} ms (gunicorn "
          f"{summary['cpu_ms_per_mark_gunicorn']}, PostgreSQL {summary['cpu_ms_per_mark_postgres']}), per /healthz "
          f"{summary['server_cpu_ms_per_healthz']} ms; ratio by CPU cost {summary['ratio_by_cpu']}; marks/s if the "
          f"cores were the benchmark's alone {summary['marks_per_s_if_cores_dedicated']}")
    print(f"  one app worker after the burst: RSS {summary['worker_rss_mib']} MiB, PSS {summary['worker_pss_mib']} "
          f"MiB, USS {summary['worker_uss_mib']} MiB")
    return summary


COMPARED = [  # (figure, summary key, how many decimals)
    ("server CPU per mark, ms (gunicorn + nginx + PostgreSQL)", "server_cpu_ms_per_mark", 1),
    ("  gunicorn", "cpu_ms_per_mark_gunicorn", 1),
    ("  PostgreSQL", "cpu_ms_per_mark_postgres", 1),
    ("server CPU per /healthz, ms", "server_cpu_ms_per_healthz", 2),
    ("marks per second", "marks_per_s", 1),
    ("/healthz requests per second, same runs", "healthz_rps", 0),
    ("marks/s ÷ /healthz req/s", "ratio", 3),
    ("same ratio by CPU cost", "ratio_by_cpu", 3),
    ("form + mark p50, ms", "pair_p50", 0),
    ("form + mark p95, ms", "pair_p95", 0),
    ("form + mark p99, ms", "pair_p99", 0),
    ("marks/s if the two cores were the benchmark's alone", "marks_per_s_if_cores_dedicated", 0),
    ("one app worker after the burst: RSS, MiB", "worker_rss_mib", 0),
    ("  USS (its own pages), MiB", "worker_uss_mib", 0),
    ("errors, all runs", "errors_total", 0),
    ("records right in every run", "records_ok_all_runs", None),
]


def print_comparison(this: dict, other: dict, other_tree: Path) -> None:
    """This checkout's medians beside another's, measured in alternating runs, with their ratio."""
    print(f"\nthis checkout ({ROOT}) against {other_tree}, medians of alternating runs:")
    print(f"  {'figure':<54}{'this':>10}{'compared':>10}{'ratio':>8}")
    for label, key, decimals in COMPARED:
        mine, theirs = this[key], other[key]
        if decimals is None:
            print(f"  {label:<54}{mine!s:>10}{theirs!s:>10}")
            continue
        ratio = f"{mine / theirs:.2f}" if theirs else ""
        print(f"  {label:<54}{mine:>10.{decimals}f}{theirs:>10.{decimals}f}{ratio:>8}")


def shape(options) -> str:
    if options.servers == 1 and not options.nginx:
        return "one app server"
    servers = "one app server" if options.servers == 1 else f"{options.servers} app servers"
    return f"{servers} behind nginx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--users", type=int, default=16, help="concurrent phones (locust users)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread, sync)")
    parser.add_argument("--locust-processes", type=int, default=1)
    parser.add_argument("--healthz-seconds", type=int, default=20)
    parser.add_argument("--limit", type=int, help="mark only the first N GPs (for quick comparisons of configs)")
    parser.add_argument("--port", type=int, default=8765,
                        help="where locust sends requests: the one server, or nginx (the servers take the next ports)")
    parser.add_argument("--servers", type=int, default=1, help="gunicorn servers; more than one puts nginx in front")
    parser.add_argument("--nginx", action="store_true", help="put nginx in front of a single server too")
    parser.add_argument("--json", type=Path, help="also write the runs and their medians to this file")
    parser.add_argument("--reuse-setup", action="store_true", help="keep the database and codes of the last setup")
    parser.add_argument("--phones", choices=("first-time", "remembered"), default="first-time",
                        help="first-time phones (LGD code and access code), or phones that remember their GP "
                             "(the cookie of an earlier mark: one tap)")
    parser.add_argument("--compare", type=Path,
                        help="another checkout of Trainer (with its own .venv): its servers take turns with this "
                             "one's, run by run, on the same database; both are printed side by side")
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if options.servers < 1:
        parser.error("--servers must be 1 or more")
    facts = prepare(options.reuse_setup)
    trees = {"this": ROOT} | ({"compared": options.compare.resolve()} if options.compare else {})
    results: dict[str, list[dict]] = {name: [] for name in trees}
    for number in range(1, options.runs + 1):
        # Alternate which goes first, so that a change in the machine's other load falls on both.
        for name in (list(trees) if number % 2 else list(reversed(trees))):
            if len(trees) > 1:
                print(f"\n== run {number}: {name} ({trees[name]})")
            stack = start_stack(options, trees[name])
            try:
                results[name].append(one_run(options, facts, stack, number))
            finally:
                stack.stop()
    summaries = {name: summarise(runs, options, "" if len(trees) == 1 else f" of {name} ({trees[name]})")
                 for name, runs in results.items()}
    if options.compare:
        print_comparison(summaries["this"], summaries["compared"], trees["compared"])
    if options.json:
        options.json.write_text(json.dumps({"options": vars(options) | {"json": str(options.json)},
                                            "summary": summaries["this"], "summaries": summaries,
                                            "runs": results}, indent=2, default=str))


if __name__ == "__main__":
    main()
