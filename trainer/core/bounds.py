"""The integers the database can hold: ids and LGD codes are PostgreSQL `integer` columns.

A number beyond them can name no row, and PostgreSQL refuses to compare a column with it (SQLite cannot even
bind one above 2**63): every id or code that comes from people is read here first.
"""
INT_MAX = 2**31 - 1
INT_DIGITS = len(str(INT_MAX))


def database_int(text: str | int | None, minimum: int = 1) -> int | None:
    """Return a whole number of at least `minimum` that fits the database's integers, or None.

    Accepts an int or decimal digits of any script (with spaces around); anything else, and numbers beyond the
    bounds, is None.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        number = text
    else:
        text = (text or "").strip()
        if not text.isdecimal() or len(text) > INT_DIGITS:  # Devanagari digits too: int() reads them
            return None
        number = int(text)
    return number if minimum <= number <= INT_MAX else None
