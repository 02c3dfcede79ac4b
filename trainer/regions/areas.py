"""An area of the hierarchy that a user is bound to, and the one place its limits are applied."""
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, true

from trainer.regions.models import Block, District, Division, GramPanchayat


@dataclass(frozen=True)
class Area:
    """A place and its ancestors' ids; the whole state when every id is None."""

    division_id: int | None = None
    district_id: int | None = None
    block_id: int | None = None
    gram_panchayat_id: int | None = None

    @classmethod
    def of(cls, place) -> "Area":
        """Return the area covered by one division, district, block or gram panchayat."""
        if place is None:
            return STATE
        if isinstance(place, Division):
            return cls(division_id=place.id)
        if isinstance(place, District):
            return cls(division_id=place.division_id, district_id=place.id)
        if isinstance(place, Block):
            district = place.district
            return cls(division_id=district.division_id, district_id=district.id, block_id=place.id)
        if isinstance(place, GramPanchayat):
            return cls(**{**vars(cls.of(place.block)), "gram_panchayat_id": place.id})
        raise TypeError(f"not a place: {place!r}")

    @property
    def is_state(self) -> bool:
        """Say whether the area is the whole state."""
        return self.division_id is None

    def condition(self, model) -> ColumnElement[bool]:
        """Return a WHERE clause that keeps only rows of `model` that lie in, or contain, this area."""
        if model is Division:
            return Division.id == self.division_id if self.division_id else true()
        if model is District:
            if self.district_id:
                return District.id == self.district_id
            return District.division_id == self.division_id if self.division_id else true()
        if model is Block:
            if self.block_id:
                return Block.id == self.block_id
            if self.district_id:
                return Block.district_id == self.district_id
            if self.division_id:
                return Block.district_id.in_(
                    select(District.id).where(District.division_id == self.division_id))
            return true()
        if model is GramPanchayat:
            if self.gram_panchayat_id:
                return GramPanchayat.id == self.gram_panchayat_id
            if self.block_id or self.district_id or self.division_id:
                return GramPanchayat.block_id.in_(select(Block.id).where(self.condition(Block)))
            return true()
        raise TypeError(f"not a place model: {model!r}")

    def contains(self, place) -> bool:
        """Say whether a place lies in this area (or, for an ancestor, contains it)."""
        other = Area.of(place)
        for mine, theirs in (
            (self.division_id, other.division_id),
            (self.district_id, other.district_id),
            (self.block_id, other.block_id),
            (self.gram_panchayat_id, other.gram_panchayat_id),
        ):
            if mine is None or theirs is None:
                return True
            if mine != theirs:
                return False
        return True

    def holds(self, place) -> bool:
        """Say whether a place lies wholly in this area: the area itself or a place below it, not an ancestor."""
        return self.holds_area(Area.of(place))

    def holds_area(self, other: "Area") -> bool:
        """Say whether another area (a place's, by its ids) lies wholly in this one."""
        return all(mine is None or mine == theirs for mine, theirs in (
            (self.division_id, other.division_id),
            (self.district_id, other.district_id),
            (self.block_id, other.block_id),
            (self.gram_panchayat_id, other.gram_panchayat_id),
        ))


STATE = Area()
