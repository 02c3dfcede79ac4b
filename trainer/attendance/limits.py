"""How many wrong codes a phone may try: the GPs' access codes and the sessions' typed codes.

Every attempt is counted before the code is checked, atomically in the limits' storage (`limiter.take`), so
that phones trying at the same instant, on one app server or several, get no more checks than the limit; a
right code gives its attempt back. Three limits guard an access code (docs/DEPLOY.md, "Wrong access codes"):

- per address and GP (ACCESS_CODE_LIMIT_PER_ADDRESS_AND_GP, 5 per 5 minutes): a secretary who mistypes waits
  a few minutes, and a stranger who guesses locks out only their own address, never the real secretary's;
- per GP, from everywhere (ACCESS_CODE_LIMIT_PER_GP, 30 per 15 minutes): a ceiling on guessing one GP's code
  from many addresses — 30 guesses of 10^8 codes a quarter hour;
- per address, over every GP (ACCESS_CODE_LIMIT_PER_ADDRESS, 20 per 15 minutes): one address cannot guess
  across many GPs.

Typed session codes (`/a?code=`) are limited per address (SESSION_CODE_LIMIT_PER_ADDRESS, 20 per minute).
The marking by SMS checks codes through the same functions.
"""
from functools import cache

from flask import current_app
from limits import parse as parse_limit

from trainer.extensions import limiter


@cache
def _parsed(text: str):
    return parse_limit(text)


def _code_limits(gram_panchayat_id: int, address: str, holder: str = "gp"):
    config = current_app.config
    return ((_parsed(config["ACCESS_CODE_LIMIT_PER_ADDRESS_AND_GP"]), (f"{holder}-code-address-{holder}", address,
                                                                       str(gram_panchayat_id))),
            (_parsed(config["ACCESS_CODE_LIMIT_PER_GP"]), (f"{holder}-code", str(gram_panchayat_id))),
            (_parsed(config["ACCESS_CODE_LIMIT_PER_ADDRESS"]), ("gp-code-address", address)))


def take_code_attempt(gram_panchayat_id: int, address: str, holder: str = "gp") -> bool:
    """Count an attempt at a GP's access code from an address; say whether it may be checked. (`holder`
    "organisation": a partner organisation's code, under the same limits, the address's counted with the GPs'.)

    Refused attempts count too (what is tried while refused prolongs nothing, as the windows are fixed), but an
    attempt refused by one limit is given back to the others, so that it never uses up their allowance.
    """
    limits = _code_limits(gram_panchayat_id, address, holder)
    allowed = [limiter.take(limit, *keys) for limit, keys in limits]
    if all(allowed):
        return True
    for (limit, keys), was_allowed in zip(limits, allowed, strict=True):
        if was_allowed:
            limiter.give_back(limit, *keys)
    return False


def give_back_code_attempt(gram_panchayat_id: int, address: str, holder: str = "gp") -> None:
    """Return an attempt whose code was right: only wrong codes count."""
    for limit, keys in _code_limits(gram_panchayat_id, address, holder):
        limiter.give_back(limit, *keys)


def take_session_code_attempt(address: str) -> bool:
    """Count an attempt at a typed session code from an address; say whether it may be looked up."""
    return limiter.take(_parsed(current_app.config["SESSION_CODE_LIMIT_PER_ADDRESS"]), "session-code", address)


def give_back_session_code_attempt(address: str) -> None:
    """Return an attempt whose session code was right."""
    limiter.give_back(_parsed(current_app.config["SESSION_CODE_LIMIT_PER_ADDRESS"]), "session-code", address)
