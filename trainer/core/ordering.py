"""Rows kept in an order of their own (a programme's modules, a feedback form's questions).

Their `position` is unique within the parent in the database, so renumbering steps through negative numbers
first; the caller commits.
"""
from trainer.extensions import db


def renumber(items: list, attribute: str = "position") -> None:
    """Give the items positions 1..n in the order of the list."""
    for offset, item in enumerate(items, start=1):
        setattr(item, attribute, -offset)
    db.session.flush()
    for offset, item in enumerate(items, start=1):
        setattr(item, attribute, offset)
    db.session.flush()


def move(items: list, item, step: int, attribute: str = "position") -> bool:
    """Move an item one place earlier (step -1) or later (+1) among the ordered items; say whether it moved."""
    ordered = list(items)
    index = ordered.index(item)
    target = index + step
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    renumber(ordered, attribute)
    return True
