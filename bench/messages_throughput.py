"""Queue a reminder to every gram panchayat of the demo state and send them through the providers' stand-ins
with real worker processes; report messages per second, and prove that none went twice.

Usage: .venv/bin/python bench/messages_throughput.py [--database-url URL] [--workers 2] [--threads 2]
                                                     [--kill-after N] [--jobs-url URL]
Default: a new SQLite file. With a PostgreSQL URL, a schema of its own (bench_messages) is made and dropped.
Loads `flask demo` (22,812 GPs, their secretaries' and sarpanches' contacts), queues SESSION_TOMORROW to each
GP's secretary (one message per GP: WhatsApp where the contact takes it, else SMS), queues it again (nothing new:
the idempotency key), then starts `--workers` `flask jobs worker` processes of `--threads` threads against a local
SMS gateway and WhatsApp Cloud API (tests/messaging_standins.py, a few milliseconds an answer). With
--kill-after N, the first worker is killed (SIGKILL) once N messages are sent and another is started after the
leases lapse. Prints the rates, the duplicates found (there must be none) and the machine's load.
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, delete, func, select, text  # noqa: E402

from tests.messaging_standins import (  # noqa: E402
    SMS_SECRET,
    WHATSAPP_SECRET,
    WHATSAPP_TOKEN,
    SmsGatewayStandIn,
    WhatsAppStandIn,
)

LEASE_SECONDS = 5


def flask(env, *args) -> None:
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--jobs-url", default="")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--kill-after", type=int, default=0)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="trainer-bench-messages-"))
    url = options.database_url or f"sqlite:///{work}/bench.db"
    if url.startswith("postgres"):
        admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS bench_messages CASCADE; CREATE SCHEMA bench_messages"))
        url += ("&" if "?" in url else "?") + "options=-csearch_path%3Dbench_messages"
    with SmsGatewayStandIn() as sms, WhatsAppStandIn() as whatsapp:
        env = {**os.environ, "SECRET_KEY": "trainer messages benchmark", "LANG": "C.UTF-8", "DATABASE_URL": url,
               "JOBS_URL": options.jobs_url or f"sqlite:///{work}/jobs.db",
               "SMS_GATEWAY_URL": sms.send_url, "SMS_GATEWAY_API_KEY": "sms-api-key",
               "SMS_DLT_ENTITY_ID": "1101000000000000001", "SMS_WEBHOOK_SECRET": SMS_SECRET,
               "WHATSAPP_API_URL": whatsapp.url, "WHATSAPP_PHONE_NUMBER_ID": "1234567890",
               "WHATSAPP_ACCESS_TOKEN": WHATSAPP_TOKEN, "WHATSAPP_APP_SECRET": WHATSAPP_SECRET,
               "MESSAGE_DAILY_CAP_WHATSAPP": "0", "MESSAGE_RATE_WHATSAPP": "10000 per second",
               "MESSAGE_RATE_SMS": "10000 per second", "MESSAGE_LEASE_SECONDS": str(LEASE_SECONDS),
               "MESSAGE_SENDERS": str(options.workers * options.threads)}
        print("loading the demo state …", flush=True)
        flask(env, "db", "upgrade")
        flask(env, "demo")
        from trainer import create_app
        from trainer.config import Config
        from trainer.contacts import services as contacts
        from trainer.extensions import db
        from trainer.jobs.queue import queue_of
        from trainer.messaging import outbox, tasks
        from trainer.messaging.kinds import MessageKind
        from trainer.messaging.models import MessageBroadcast, MessageReceipt, MessageState, OutboxMessage
        from trainer.regions.models import GramPanchayat

        # This process's app, configured as the workers are (trainer.config read the environment on import).
        settings = {name: int(value) if value.isdigit() else value for name, value in env.items()
                    if hasattr(Config, name)}
        app = create_app(type("BenchConfig", (Config,), {**settings, "SQLALCHEMY_DATABASE_URI": url}))
        with app.app_context():
            queue_of(app).flush()
            for model in (MessageReceipt, OutboxMessage, MessageBroadcast):  # the demo's own messages
                db.session.execute(delete(model))
            db.session.commit()
            started = time.perf_counter()
            points = contacts.contact_points_of_gps(select(GramPanchayat.id), roles=("secretary",))
            recipients = [outbox.recipient_of(point) for point in points]
            values = {"gp": "ग्राम पंचायत", "programme": "ग्राम सभा सशक्तिकरण", "date": "4 दिसं. 2026",
                      "time": "सुबह 11:00", "link": "https://trainer.example.gov.in/sessions/1"}
            queued = outbox.queue_messages(MessageKind.SESSION_TOMORROW, recipients, "bench", lambda r: values)
            db.session.commit()
            queue_seconds = time.perf_counter() - started
            started = time.perf_counter()
            again = outbox.queue_messages(MessageKind.SESSION_TOMORROW, recipients, "bench", lambda r: values)
            db.session.commit()
            again_seconds = time.perf_counter() - started
            total = queued.queued
            print(f"queued {total:,} messages in {queue_seconds:.1f} s ({queued.by_channel}); queued again: "
                  f"{again.queued} new, {again.repeated:,} already there, in {again_seconds:.1f} s", flush=True)

            def sent() -> int:
                db.session.rollback()
                return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.state == MessageState.SENT))

            workers, logs = [], []

            def start_worker():
                log = open(work / f"worker-{len(workers)}.log", "w")
                logs.append(log)
                workers.append(subprocess.Popen(
                    [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "jobs", "worker", "--workers",
                     str(options.threads), "--no-periodic"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True))

            for _ in range(options.workers):
                start_worker()
            time.sleep(2)  # the workers' start-up is not the senders' work
            started = time.perf_counter()
            tasks.kick()
            samples, last, last_at, killed = [], 0, started, False
            while True:
                time.sleep(1)
                done = sent()
                now = time.perf_counter()
                samples.append((done - last) / (now - last_at))
                last, last_at = done, now
                if options.kill_after and not killed and done >= options.kill_after:
                    os.killpg(workers[0].pid, signal.SIGKILL)
                    workers[0].wait()
                    killed = True
                    print(f"killed a worker at {done:,} sent", flush=True)
                    time.sleep(LEASE_SECONDS + 1)
                    from trainer.messaging import sender
                    again_due, unknown = sender.sweep()
                    print(f"sweep: {again_due} due again (SMS), {unknown} of unknown outcome (WhatsApp)", flush=True)
                    start_worker()
                    tasks.kick()
                    last_at = time.perf_counter()
                db.session.rollback()
                waiting = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.state.in_(["queued", "sending", "retrying"])))
                if not waiting:
                    break
                if now - started > 1800:
                    print("gave up after 30 minutes", flush=True)
                    break
            elapsed = time.perf_counter() - started
            states = dict(db.session.execute(select(OutboxMessage.state, func.count())
                                             .group_by(OutboxMessage.state)).all())
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait()
        for log in logs:
            log.close()
        sms_phones = [item["mobile"] for item in sms.delivered.values()]
        whatsapp_phones = [body["to"] for body in whatsapp.delivered.values()]
        references = [request["form"]["reference"] for request in sms.requests]
        duplicates = (len(sms_phones) - len(set(sms_phones))) + (len(whatsapp_phones) - len(set(whatsapp_phones)))
        print(f"sent {states.get(MessageState.SENT, 0):,} of {total:,} in {elapsed:.1f} s: "
              f"{states.get(MessageState.SENT, 0) / elapsed:.0f} messages/s overall, median of 1-second samples "
              f"{statistics.median(samples):.0f}/s; states {({s.value: n for s, n in states.items()})}")
        print(f"reached the stand-ins' phones: SMS {len(sms_phones):,}, WhatsApp {len(whatsapp_phones):,}; "
              f"duplicates {duplicates}; SMS references asked again {len(references) - len(set(references))}")
        print(f"database {url.split('?')[0].split('@')[-1]}; {options.workers} worker(s) × {options.threads} "
              f"thread(s); load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if url.startswith("postgres"):
        with admin.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS bench_messages CASCADE"))


if __name__ == "__main__":
    main()
