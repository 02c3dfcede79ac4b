"""Tasks of Trainer, and the Huey queue each app puts them on.

Features declare tasks with `@task()` or `@periodic_task(crontab(...))`; calling a task enqueues it on the
current app's queue (`queue_of(current_app)`), a Huey instance made the first time it is needed, on the storage
the app's configuration names (`storage_for`). A worker (`flask jobs worker`) runs the tasks inside its app.
Each app has a queue of its own, so that apps on other storages (the tests make several) never share one.
"""
import functools
import os
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, PostgresStorage, RedisStorage, SqliteStorage

from trainer.config import normalise_database_url

NAME = "trainer"

__all__ = ["crontab", "init_app", "is_immediate", "periodic_task", "queue_of", "task"]


@dataclass
class Declared:
    """A task as a feature declared it: the function, Huey's options, and its schedule if it is periodic."""

    func: object
    options: dict = field(default_factory=dict)
    schedule: object = None

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__name__}"

    def __call__(self, *args, **kwargs):
        """Put the task on the current app's queue (run it at once in immediate mode)."""
        return queue_of(current_app).tasks[self.name](*args, **kwargs)

    def run(self, *args, **kwargs):
        """Run the task's function here and now, without the queue."""
        return self.func(*args, **kwargs)


_declared: dict[str, Declared] = {}


def task(**options):
    """Declare a task (Huey's options: retries, retry_delay, retry_backoff, priority, expires…) that runs in the
    app; calling it enqueues it."""
    def declare(func):
        declared = Declared(func, options)
        _declared[declared.name] = declared
        return functools.wraps(func)(declared)
    return declare


def periodic_task(schedule, **options):
    """Declare a task that a worker with periodic tasks on runs on a schedule (`crontab(minute="*")`)."""
    def declare(func):
        declared = Declared(func, options, schedule)
        _declared[declared.name] = declared
        return functools.wraps(func)(declared)
    return declare


class Queue(Huey):
    """The Huey queue of one app, with every declared task registered, each run inside the app."""

    def __init__(self, app: Flask, storage) -> None:
        immediate = storage is None
        super().__init__(NAME, immediate=immediate, immediate_use_memory=False, results=immediate, utc=True)
        if not immediate:
            self.storage = storage
        self.app = app
        self.tasks = {}
        for declared in _declared.values():
            run = self._in_app(declared.func)
            # Huey names a task by its function's module and this name: trainer.youtube.sync.sweep.
            name = declared.func.__name__
            if declared.schedule is not None:
                wrapper = self.periodic_task(declared.schedule, name=name, **declared.options)(run)
            else:
                wrapper = self.task(name=name, **declared.options)(run)
            self.tasks[declared.name] = wrapper

    def get_storage(self, **kwargs):
        return MemoryStorage(self.name)  # in immediate mode, and until the configured storage is set

    def _in_app(self, func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            if has_app_context():  # immediate mode: the caller's request or command
                return func(*args, **kwargs)
            with self.app.app_context():
                return func(*args, **kwargs)
        return run


def storage_for(app: Flask):
    """Return the storage the app's JOBS_URL (or, without it, REDIS_URL or the instance folder) names, or None
    for "immediate": tasks run at once where they are enqueued."""
    url = app.config.get("JOBS_URL") or app.config.get("REDIS_URL") or ""
    if url == "immediate":
        return None
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "jobs.db")
    if url.startswith("sqlite:///"):
        return SqliteStorage(NAME, filename=url[len("sqlite:///"):])
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage(NAME, url=url)
    if url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        dsn = normalise_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
        return PostgresStorage(NAME, dsn=dsn)
    raise RuntimeError(f"JOBS_URL must be sqlite:///FILE, redis://…, postgresql://… or immediate, not {url!r}")


def init_app(app: Flask) -> None:
    """Let the app make its queue when it is first needed (every feature's tasks are declared by then)."""
    app.extensions["jobs"] = None


def queue_of(app: Flask) -> Queue:
    """Return the app's queue, making it the first time."""
    app = app._get_current_object() if hasattr(app, "_get_current_object") else app  # current_app is a proxy
    queue = app.extensions.get("jobs")
    if queue is None:
        queue = app.extensions["jobs"] = Queue(app, storage_for(app))
    return queue


def is_immediate() -> bool:
    """Say whether tasks run at once where they are enqueued (their results are then known to the caller)."""
    return queue_of(current_app).immediate
