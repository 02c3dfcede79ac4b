"""The limiter's own counting (SharedLimiter.take / give_back): an attempt is counted before it is checked, in one
atomic step, so a burst never gets more than the limit; the multi-server test proves it across app servers."""
import threading
import uuid

from trainer.extensions import limiter


def test_a_burst_of_parallel_attempts_gets_exactly_the_limit(app):
    key = uuid.uuid4().hex
    start = threading.Barrier(40)
    allowed = []

    def attempt():
        start.wait(timeout=30)
        with app.app_context():
            allowed.append(limiter.take("5 per minute", "probe", key))

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(allowed) == 40 and allowed.count(True) == 5


def test_an_attempt_given_back_frees_its_place_and_nothing_more(app):
    key = uuid.uuid4().hex
    assert [limiter.take("2 per minute", "probe", key) for _ in range(3)] == [True, True, False]
    limiter.give_back("2 per minute", "probe", key)
    limiter.give_back("2 per minute", "probe", key)  # the refused attempt is counted too: 3 → 1
    assert [limiter.take("2 per minute", "probe", key) for _ in range(2)] == [True, False]


def test_giving_back_to_an_empty_count_gives_no_extra_attempt(app):
    key = uuid.uuid4().hex
    limiter.give_back("1 per minute", "probe", key)
    assert [limiter.take("1 per minute", "probe", key) for _ in range(2)] == [True, False]


def test_a_right_password_does_not_use_up_the_sign_in_limit(make_app, places):
    app = make_app(LOGIN_RATE_LIMIT="2 per minute")
    with app.app_context():
        from trainer.accounts import services
        from trainer.core.roles import Role
        from trainer.extensions import db
        services.create_user("asha", "correct-horse-1", Role.TRAINER)
        db.session.commit()
    statuses = []
    for _attempt in range(4):
        client = app.test_client()
        statuses.append(client.post("/login", data={"username": "asha", "password": "correct-horse-1"}).status_code)
    assert statuses == [302] * 4
    client = app.test_client()
    wrong = [client.post("/login", data={"username": "asha", "password": "wrong-one"}).status_code for _ in range(3)]
    assert wrong == [200, 200, 429]
