"""The job queue: slow work (YouTube, messages, bulk documents) runs in worker processes, never in a request.

Built on Huey, whose storage is chosen by configuration (`queue.storage_for`): a SQLite file in the instance
folder by default (`make run`, no Redis needed), Redis in production (`REDIS_URL`, or `JOBS_URL=redis://…`), or
PostgreSQL (`JOBS_URL=postgresql://…`). Workers run with `flask jobs worker` (several per machine and machines
side by side). The tests run tasks at once, in the request ("immediate" mode), and prove the real workers with
worker processes of their own.

Work that must never be done twice is a row first (an outbox), claimed by a conditional UPDATE before any
external call; a task only names the row. A task lost with a dying worker is found again by the periodic sweep
of the feature that owns it.
"""
