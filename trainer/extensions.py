"""Extension objects, created unbound and initialised in create_app."""
import logging

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
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

    `test_limit` and `hit_limit` are for limits a view counts itself (wrong access codes): they fall back the
    same way as the limits the limiter checks.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.logger = logging.getLogger("trainer.rate_limits")  # the app's log, not a logger nobody reads

    def test_limit(self, item, *identifiers: str) -> bool:
        """Say whether the limit `item` would allow one more hit for these identifiers."""
        return self._counted("test", item, identifiers)

    def hit_limit(self, item, *identifiers: str) -> bool:
        """Count one hit against the limit `item` for these identifiers; say whether it was allowed."""
        return self._counted("hit", item, identifiers)

    def _counted(self, method: str, item, identifiers: tuple[str, ...]) -> bool:
        try:
            return getattr(self.limiter, method)(item, *identifiers)
        except Exception:  # any error of the storage, as Flask-Limiter's own checks take it
            if not self._in_memory_fallback_enabled or self._storage_dead:
                raise
            self.logger.warning("Rate limit storage unreachable - falling back to in-memory storage")
            self._storage_dead = True  # what Flask-Limiter sets; it checks the storage again on later requests
            return getattr(self.limiter, method)(item, *identifiers)


limiter = SharedLimiter(key_func=get_remote_address, default_limits=[])
