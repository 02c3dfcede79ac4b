"""Extension objects, created unbound and initialised in create_app."""
import functools
import logging

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits import RateLimitItem, parse
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base whose constraints all have names a migration can refer to."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class SharedLimiter(Limiter):
    """Flask-Limiter counting in the shared storage (Redis), or in each process's memory while that storage fails
    (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED), with a warning in the app's log; it goes back once the storage answers.

    Limits a view counts itself (wrong passwords, wrong access codes) use `take` before the attempt is checked:

        if not limiter.take("10 per minute", "login", username):
            abort(429)                                 # over the limit: the attempt is not even looked at
        if password_is_right:
            limiter.give_back("10 per minute", "login", username)   # only failed attempts count

    `take` counts the attempt and says whether it is within the limit in one atomic step of the storage (INCR in
    Redis, a lock in memory), so N requests racing for the last places get at most the limit's number of Trues, on
    one server or on many sharing Redis. Testing the limit first and counting after the check is what lets a burst
    through: every request of the burst tests before any of them counts. `give_back` returns a taken attempt that
    turned out not to count. A limit is a Flask-Limiter string ("5 per 15 minutes") or a `limits` item; the
    identifiers name what is counted (a kind of limit, then a username, an address, a GP id).

    `test_limit` and `hit_limit` (test, then count after the check) remain for the access codes until they move to
    `take`. All of them fall back to memory the same way as the limits the limiter checks itself.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.logger = logging.getLogger("trainer.rate_limits")  # the app's log, not a logger nobody reads

    def take(self, limit: str | RateLimitItem, *identifiers: str) -> bool:
        """Count one attempt against `limit` for these identifiers, atomically; say whether it may go on."""
        return self._counted(lambda limiter: limiter.hit(_item(limit), *identifiers))

    def give_back(self, limit: str | RateLimitItem, *identifiers: str) -> None:
        """Return one attempt taken with `take` that does not count after all (a right password, say)."""
        item = _item(limit)

        def uncount(limiter):
            key = item.key_for(*identifiers)
            if limiter.storage.get(key) > 0:
                limiter.storage.incr(key, item.get_expiry(), amount=-1)

        self._counted(uncount)

    def test_limit(self, item, *identifiers: str) -> bool:
        """Say whether the limit `item` would allow one more hit for these identifiers."""
        return self._counted(lambda limiter: limiter.test(item, *identifiers))

    def hit_limit(self, item, *identifiers: str) -> bool:
        """Count one hit against the limit `item` for these identifiers; say whether it was allowed."""
        return self._counted(lambda limiter: limiter.hit(item, *identifiers))

    def _counted(self, count):
        try:
            return count(self.limiter)
        except Exception:  # any error of the storage, as Flask-Limiter's own checks take it
            if not self._in_memory_fallback_enabled or self._storage_dead:
                raise
            self.logger.warning("Rate limit storage unreachable - falling back to in-memory storage")
            self._storage_dead = True  # what Flask-Limiter sets; it checks the storage again on later requests
            return count(self.limiter)


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> RateLimitItem:
    return parse(text)


def _item(limit: str | RateLimitItem) -> RateLimitItem:
    return _parsed(limit) if isinstance(limit, str) else limit


limiter = SharedLimiter(key_func=get_remote_address, default_limits=[])
