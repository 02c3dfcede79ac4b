"""gunicorn settings of one Trainer app server (docs/DEPLOY.md).

Every app server runs `gunicorn --config deploy/gunicorn.conf.py` with the environment of
/etc/trainer/trainer.env and TRAINER_PORT set to its own port (trainer@.service does both; so does
deploy/trainer-servers where there is no systemd). Options given on the command line win over these.
"""
import os
from pathlib import Path

port = os.environ.get("TRAINER_PORT", "8001")
# Only nginx on the same machine talks to the app servers; TRAINER_HOST=10.0.0.5 (the machine's private
# address, say) lets an nginx on another machine in, through the firewall.
bind = [f"{os.environ.get('TRAINER_HOST', '127.0.0.1')}:{port}"]
wsgi_app = "wsgi:app"
chdir = str(Path(__file__).resolve().parent.parent)
proc_name = f"trainer-{port}"

# Threads wait on PostgreSQL while another request uses the CPU; two processes use two cores.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
backlog = 2048
timeout = 60  # a worker silent this long is restarted (gthread workers stay alive through long requests)
graceful_timeout = 30  # on stop or restart, requests under way get this long to finish
keepalive = 75  # longer than nginx keeps an idle upstream connection (60 s), so nginx always closes first
max_requests = 20000  # recycle workers now and then, spread out so that they never all restart together
max_requests_jitter = 2000

# The app reads X-Forwarded-* itself, and only when TRUSTED_PROXIES says so: gunicorn must not act on them.
forwarded_allow_ips = ""

# TRAINER_LOG_DIR=/var/log/trainer writes access-PORT.log and error-PORT.log there (reopened on SIGUSR1, which
# deploy/logrotate-trainer sends); unset, both go to standard error (journald under systemd).
log_dir = os.environ.get("TRAINER_LOG_DIR")
accesslog = f"{log_dir}/access-{port}.log" if log_dir else "-"
errorlog = f"{log_dir}/error-{port}.log" if log_dir else "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client's address as nginx saw it, then nginx's own; the time taken in milliseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
run_dir = os.environ.get("TRAINER_RUN_DIR")
pidfile = f"{run_dir}/{port}.pid" if run_dir else None
# gunicorn's control socket (for gunicornc), one per server: by default every server would share one path.
control_socket = f"{run_dir}/{port}.ctl" if run_dir else None
control_socket_disable = not run_dir
