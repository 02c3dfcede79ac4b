"""Issue certificates of participation to every gram panchayat of the demo state; report the time and the size.

Usage: .venv/bin/python bench/certificates_issue.py [--database-url URL] [--samples 20] [--worker]
Default: a new SQLite file. With a PostgreSQL URL, a schema of its own (bench_certificates) is made and dropped.
Loads `flask demo` (22,812 GPs, two programmes, some attendance), then marks every GP that has not attended the
first programme with published sessions present at one session of its division, and deletes the certificates
the demo issued of it (one district), so that the batch issues all 22,812 (set-up, not measured). Then:
issues the programme's batch in this process (tasks.issue_batch.run), as `flask certificates issue` does, and
again (nothing new may be made); with --worker, deletes them and issues them once more through a
`flask jobs worker` process; lays out single certificates (size, time), finds the QR version of every
certificate, and lays out the bundle of the district with the most GPs (pages, size, time per page).
A fresh signing key is made for the run, so that nothing is written in the instance folder.
"""
import argparse
import base64
import os
import platform
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

SCHEMA = "bench_certificates"
BASE_URL = "https://trainer.example.gov.in"
GPS = 22_812


def flask(env, *args) -> float:
    """Run a `flask` command; return its seconds."""
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


class Timer:
    """Add up the seconds spent in a function, and how often it was called (the batch's phases)."""

    def __init__(self, module, name):
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.seconds, self.calls = 0.0, 0

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        setattr(module, name, timed)

    def restore(self):
        setattr(self.module, self.name, self.original)


def complete_every_gp(programme) -> int:
    """Mark each GP without attendance at the programme present at its division's first counted session; return
    how many rows were added."""
    from sqlalchemy import func, insert, literal, select

    from trainer.attendance import rules
    from trainer.attendance.models import Attendance, MarkSource
    from trainer.extensions import db
    from trainer.programmes.models import TrainingSession, session_divisions
    from trainer.regions.models import Block, District, GramPanchayat

    counted = (TrainingSession.programme_id == programme.id) & TrainingSession.status.in_(rules.MARKABLE_STATUSES)
    attended = select(Attendance.gram_panchayat_id).join(TrainingSession, TrainingSession.id == Attendance.session_id
                                                         ).where(counted)
    first = (select(session_divisions.c.division_id, func.min(session_divisions.c.session_id).label("session_id"))
             .join(TrainingSession, TrainingSession.id == session_divisions.c.session_id).where(counted)
             .group_by(session_divisions.c.division_id).subquery())
    missing = (select(first.c.session_id, GramPanchayat.id, literal(1), 1 + GramPanchayat.id % 20,
                      literal(MarkSource.COMMAND.value), TrainingSession.starts_at, TrainingSession.starts_at)
               .join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id)
               .join(first, first.c.division_id == District.division_id)
               .join(TrainingSession, TrainingSession.id == first.c.session_id)
               .where(GramPanchayat.id.not_in(attended)))
    columns = ["session_id", "gram_panchayat_id", "revision", "participants", "source", "first_marked_at",
               "marked_at"]
    before = db.session.scalar(select(func.count()).select_from(Attendance))
    db.session.execute(insert(Attendance).from_select(columns, missing))
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Attendance)) - before  # rowcount: -1 on psycopg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--samples", type=int, default=20, help="single certificates laid out")
    parser.add_argument("--worker", action="store_true", help="also issue them through a `flask jobs worker`")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="trainer-bench-certificates-"))
    url = options.database_url or f"sqlite:///{work}/bench.db"
    admin = None
    if url.startswith("postgres"):
        admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{SCHEMA}"
    # Set before trainer.config is imported: it reads the environment then, and the workers read the same.
    env = {"SECRET_KEY": "trainer certificates benchmark", "LANG": "C.UTF-8", "DATABASE_URL": url,
           "JOBS_URL": f"sqlite:///{work}/jobs.db", "PUBLIC_BASE_URL": BASE_URL,
           "CERTIFICATE_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode()}
    os.environ.update(env)
    env = dict(os.environ)
    print(f"database {url.split('?')[0].split('@')[-1]}; {machine()}", flush=True)
    print("loading the demo state …", flush=True)
    upgrade_seconds = flask(env, "db", "upgrade")
    demo_seconds = flask(env, "demo")
    print(f"flask db upgrade {upgrade_seconds:.1f} s, flask demo {demo_seconds:.1f} s", flush=True)

    import pypdfium2
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from sqlalchemy import delete, func, select, update

    from trainer import create_app
    from trainer.attendance import rules
    from trainer.attendance.qr import make_qr
    from trainer.certificates import bundles, documents, services, signing, tasks
    from trainer.certificates.models import Certificate, CertificateBatch, CertificateKind, WorkState
    from trainer.config import Config
    from trainer.extensions import db
    from trainer.jobs.queue import queue_of
    from trainer.programmes.models import Programme, TrainingSession
    from trainer.regions.models import Block, District, GramPanchayat

    app = create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url}))
    results = [("set-up: `flask db upgrade`, `flask demo` (not measured below)",
                f"{upgrade_seconds:.1f} s, {demo_seconds:.1f} s")]
    with app.app_context(), app.test_request_context(base_url=BASE_URL):
        programme = db.session.scalar(select(Programme).where(Programme.id.in_(
            select(TrainingSession.programme_id).where(TrainingSession.status.in_(rules.MARKABLE_STATUSES))))
            .order_by(Programme.id).limit(1))
        started = time.perf_counter()
        added = complete_every_gp(programme)
        print(f"programme {programme.id} “{programme.title_en}”: {added:,} attendance rows added "
              f"({time.perf_counter() - started:.1f} s, set-up)", flush=True)

        def ours():
            return (Certificate.programme_id == programme.id) & (Certificate.kind == CertificateKind.PARTICIPATION)

        def clear() -> int:
            """Delete the programme's certificates of participation (the demo's own district, then a run's)."""
            db.session.execute(update(Certificate).where(ours()).values(replaces_id=None))
            removed = db.session.execute(delete(Certificate).where(ours())).rowcount
            db.session.execute(delete(CertificateBatch).where(CertificateBatch.programme_id == programme.id))
            db.session.commit()
            return removed

        removed = clear()
        print(f"deleted the demo's {removed:,} certificates of the programme, so that the batch issues all",
              flush=True)

        def issue() -> tuple[CertificateBatch, float]:
            batch = services.request_batch(programme, None, False, None)
            db.session.commit()
            started = time.perf_counter()
            tasks.issue_batch.run(batch.id)
            seconds = time.perf_counter() - started
            db.session.expire_all()
            return db.session.get(CertificateBatch, batch.id), seconds

        def counted() -> tuple[int, int, int]:
            """Count the programme's certificates of participation, the GPs holding one, and their serials."""
            return db.session.execute(select(func.count(), func.count(func.distinct(Certificate.gram_panchayat_id)),
                                             func.count(func.distinct(Certificate.serial))).where(ours())).one()

        phases = {name: Timer(module, name) for module, name in (
            (services, "start_batch"), (services, "issue_participation"), (services, "participation_facts"),
            (signing, "sign"), (services, "new_serial"), (services, "_block_and_district"))}
        batch, seconds = issue()
        for phase in phases.values():
            phase.restore()
        rows, holders, serials = counted()
        spent = {name: phase.seconds for name, phase in phases.items()}
        chunks = seconds - spent["start_batch"]
        between = chunks - spent["issue_participation"]  # choosing each next chunk, the batch's counts, commit
        insert = spent["issue_participation"] - sum(spent[name] for name in (
            "participation_facts", "sign", "new_serial", "_block_and_district"))
        breakdown = (f"counting (start_batch) {spent['start_batch']:.1f} s; in {phases['issue_participation'].calls} "
                     f"chunks: the facts {spent['participation_facts']:.1f} s, serials {spent['new_serial']:.1f} s, "
                     f"signatures {spent['sign']:.1f} s, blocks {spent['_block_and_district']:.1f} s, rows and "
                     f"INSERT … RETURNING {insert:.1f} s; choosing the next chunk and committing {between:.1f} s")
        print(f"issued {batch.issued:,} (state {batch.state.value}, total {batch.total:,}) in {seconds:.1f} s: "
              f"{batch.issued / seconds:.0f} certificates/s; rows {rows:,}, GPs {holders:,}, distinct serials "
              f"{serials:,}\n  {breakdown}", flush=True)
        results.append(("issue 22,812 in-process (`tasks.issue_batch.run`)",
                        f"{seconds:.1f} s, {batch.issued / seconds:.0f} certificates/s"))
        results.append(("  where the time goes", breakdown))
        assert batch.state is WorkState.DONE and batch.issued == rows == holders == serials == GPS, (batch.issued, rows)

        again, again_seconds = issue()
        rows, holders, serials = counted()
        print(f"issued again: {again.issued} new, {again.already:,} already there, in {again_seconds:.1f} s; "
              f"rows {rows:,}, GPs {holders:,}, distinct serials {serials:,}", flush=True)
        results.append(("issue again (a new batch)", f"{again.issued} new, {again.already:,} already there "
                                                     f"({again_seconds:.1f} s)"))
        results.append(("rows / GPs holding one / distinct serials", f"{rows:,} / {holders:,} / {serials:,}"))
        assert again.issued == 0 and rows == holders == serials == GPS

        if options.worker:
            clear()
            queue_of(app).flush()
            log = open(work / "worker.log", "w")
            worker = subprocess.Popen([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "jobs", "worker",
                                       "--workers", "1", "--no-periodic"], cwd=ROOT, env=env, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
            try:
                time.sleep(3)  # the worker's start-up is not the batch's work
                batch = services.request_batch(programme, None, False, None)
                db.session.commit()
                batch_id = batch.id
                started = time.perf_counter()
                tasks.issue_batch(batch_id)
                while True:
                    time.sleep(0.5)
                    db.session.rollback()
                    batch = db.session.get(CertificateBatch, batch_id)
                    db.session.refresh(batch)
                    if batch.state in (WorkState.DONE, WorkState.FAILED) or time.perf_counter() - started > 1800:
                        break
                worker_seconds = time.perf_counter() - started
            finally:
                worker.terminate()
                worker.wait()
                log.close()
            rows, holders, serials = counted()
            print(f"through a worker: {batch.issued:,} issued (state {batch.state.value}) in {worker_seconds:.1f} s "
                  f"(polled every 0.5 s): {batch.issued / worker_seconds:.0f} certificates/s; rows {rows:,}, "
                  f"distinct serials {serials:,}", flush=True)
            results.append(("issue 22,812 through `flask jobs worker` (1 thread)",
                            f"{worker_seconds:.1f} s, {batch.issued / worker_seconds:.0f} certificates/s"))
            assert batch.state is WorkState.DONE and rows == holders == serials == GPS

        # Documents
        ids = list(db.session.scalars(select(Certificate.id).where(ours()).order_by(Certificate.id)))
        step = max(1, len(ids) // options.samples)
        sample = [db.session.get(Certificate, ids[i]) for i in range(0, len(ids), step)][:options.samples]
        started = time.perf_counter()
        documents.certificate_pdf(sample[0])  # the first lays out the fonts and stylesheet once
        first_seconds = time.perf_counter() - started
        sizes, times, sample_versions = [], [], []
        for certificate in sample:
            started = time.perf_counter()
            pdf = documents.certificate_pdf(certificate)
            times.append(time.perf_counter() - started)
            sizes.append(len(pdf))
            sample_versions.append(make_qr(signing.qr_text(documents.verify_url(certificate.payload))).version)
        print(f"single certificate PDF over {len(sample)}: median {statistics.median(sizes) / 1024:.1f} KiB "
              f"(min {min(sizes) / 1024:.1f}, max {max(sizes) / 1024:.1f}); median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f}; the first, loading the fonts, {first_seconds:.2f} s)",
              flush=True)
        results.append((f"one certificate's PDF (median of {len(sample)})",
                        f"{statistics.median(sizes) / 1024:.1f} KiB (max {max(sizes) / 1024:.1f} KiB), "
                        f"{statistics.median(times) * 1000:.0f} ms (max {max(times) * 1000:.0f} ms)"))

        # The version make_qr gets: qrcode's best fit (make(fit=True) runs it before drawing the modules; drawing
        # all 22,812 would take a few minutes and tell nothing more).
        started = time.perf_counter()
        versions, lengths = Counter(), Counter()
        for (payload,) in db.session.execute(select(Certificate.payload).where(ours())):
            data = signing.qr_text(documents.verify_url(payload))
            code = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_M)
            code.add_data(data)
            versions[code.best_fit()] += 1
            lengths[len(data)] += 1
        fitted = Counter()
        for certificate in sample:
            code = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_M)
            code.add_data(signing.qr_text(documents.verify_url(certificate.payload)))
            fitted[code.best_fit()] += 1
        assert fitted == Counter(sample_versions), (fitted, sample_versions)
        longest = max(lengths)
        longest_payload = db.session.scalar(select(func.max(func.length(Certificate.payload))).where(ours()))
        shown = ", ".join(f"v{version}: {count:,}" for version, count in sorted(versions.items()))
        print(f"QR versions of all {sum(versions.values()):,} ({time.perf_counter() - started:.1f} s): {shown}; "
              f"QR text {min(lengths)}–{longest} characters, payload up to {longest_payload} of 400; make_qr on the "
              f"sample: {dict(sorted(Counter(sample_versions).items()))}", flush=True)
        results.append(("QR version (error correction M), all 22,812", shown))
        results.append(("QR text / payload length", f"{min(lengths)}–{longest} characters / up to "
                                                    f"{longest_payload} of 400"))

        district, gps = db.session.execute(
            select(District, func.count(GramPanchayat.id)).join(Block, Block.district_id == District.id)
            .join(GramPanchayat, GramPanchayat.block_id == Block.id).group_by(District.id)
            .order_by(func.count(GramPanchayat.id).desc(), District.id).limit(1)).one()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        certificates = bundles.certificates_of(bundles.request_bundle(programme, district, None))
        started = time.perf_counter()
        bundle = documents.certificates_pdf(certificates, f"{programme.title_hi} — {district.name_hi}")
        bundle_seconds = time.perf_counter() - started
        document = pypdfium2.PdfDocument(bundle)
        pages = len(document)
        document.close()
        per_page = bundle_seconds / pages
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"bundle of {district.name_en} ({gps} GPs): {pages} pages, {len(bundle) / 1024 / 1024:.1f} MiB "
              f"({len(bundle) / pages / 1024:.1f} KiB a page), {bundle_seconds:.1f} s ({per_page:.3f} s a page); "
              f"peak memory of this process {peak:.0f} MiB ({before:.0f} MiB before the bundle)", flush=True)
        results.append((f"district bundle, {district.name_en} ({gps} GPs)",
                        f"{pages} pages, {len(bundle) / 1024 / 1024:.1f} MiB ({len(bundle) / pages / 1024:.1f} KiB a "
                        f"page), {bundle_seconds:.1f} s, {per_page * 1000:.0f} ms a page"))
        results.append(("extrapolated: all 22,812 laid out, one process", f"about {per_page * GPS / 60:.0f} min"))
        results.append(("peak memory of the bench process", f"{peak:.0f} MiB ({before:.0f} MiB before the bundle)"))
    print()
    print(f"| what | {url.split(':')[0]} |")
    print("| --- | --- |")
    for what, value in results:
        print(f"| {what} | {value} |")
    print(f"\n{machine()}; load average (1 min) {os.getloadavg()[0]:.1f}")
    if admin is not None:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
