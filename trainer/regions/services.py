"""Queries over the hierarchy, always within the viewer's area."""
from dataclasses import dataclass

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import joinedload

from trainer.core.database import like_escaped
from trainer.extensions import db
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, Division, GramPanchayat

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class PlaceRow:
    """A place with how many districts, blocks and gram panchayats of the viewer's area it holds."""

    place: object
    districts: int = 0
    blocks: int = 0
    gram_panchayats: int = 0


@dataclass(frozen=True)
class Totals:
    """How many places of each level an area holds."""

    divisions: int
    districts: int
    blocks: int
    gram_panchayats: int


def _name_order(model, language: str):
    return (model.name_en if language == "en" else model.name_hi, model.lgd_code)


def _rows(places, counts) -> list[PlaceRow]:
    return [PlaceRow(p, *counts.get(p.id, (0, 0, 0))) for p in places]


def area_totals(area: Area) -> Totals:
    """Count the divisions, districts, blocks and gram panchayats in an area."""
    row = db.session.execute(
        select(func.count(distinct(District.division_id)), func.count(distinct(Block.district_id)),
               func.count(distinct(GramPanchayat.block_id)), func.count(GramPanchayat.id))
        .select_from(GramPanchayat).join(Block).join(District)
        .where(area.condition(GramPanchayat))
    ).one()
    return Totals(*row)


def list_divisions(area: Area, language: str) -> list[PlaceRow]:
    """Return the area's divisions with their counts."""
    places = db.session.scalars(
        select(Division).where(area.condition(Division)).order_by(*_name_order(Division, language)))
    counts = {
        division_id: (districts, blocks, gps)
        for division_id, districts, blocks, gps in db.session.execute(
            select(District.division_id, func.count(distinct(District.id)), func.count(distinct(Block.id)),
                   func.count(GramPanchayat.id))
            .select_from(GramPanchayat).join(Block).join(District)
            .where(area.condition(GramPanchayat)).group_by(District.division_id))
    }
    return _rows(places, counts)


def list_districts(division: Division, area: Area, language: str) -> list[PlaceRow]:
    """Return a division's districts that lie in the area, with their counts."""
    places = db.session.scalars(
        select(District).where(District.division_id == division.id, area.condition(District))
        .order_by(*_name_order(District, language)))
    counts = {
        district_id: (1, blocks, gps)
        for district_id, blocks, gps in db.session.execute(
            select(Block.district_id, func.count(distinct(Block.id)), func.count(GramPanchayat.id))
            .select_from(GramPanchayat).join(Block).join(District)
            .where(District.division_id == division.id, area.condition(GramPanchayat))
            .group_by(Block.district_id))
    }
    return _rows(places, counts)


def list_blocks(district: District, area: Area, language: str) -> list[PlaceRow]:
    """Return a district's blocks that lie in the area, with their gram panchayat counts."""
    places = db.session.scalars(
        select(Block).where(Block.district_id == district.id, area.condition(Block))
        .order_by(*_name_order(Block, language)))
    counts = {
        block_id: (1, 1, gps)
        for block_id, gps in db.session.execute(
            select(GramPanchayat.block_id, func.count(GramPanchayat.id)).join(Block)
            .where(Block.district_id == district.id, area.condition(GramPanchayat))
            .group_by(GramPanchayat.block_id))
    }
    return _rows(places, counts)


def list_gram_panchayats(block: Block, area: Area, language: str) -> list[GramPanchayat]:
    """Return a block's gram panchayats that lie in the area."""
    return list(db.session.scalars(
        select(GramPanchayat).where(GramPanchayat.block_id == block.id, area.condition(GramPanchayat))
        .order_by(*_name_order(GramPanchayat, language))))


def get_place_by_code(model, lgd_code: int):
    """Return the place of this level with this LGD code, or None."""
    return db.session.scalar(select(model).where(model.lgd_code == lgd_code))


@dataclass(frozen=True)
class SearchResults:
    """Places matching a search, level by level, each list cut at SEARCH_LIMIT."""

    divisions: list
    districts: list
    blocks: list
    gram_panchayats: list

    @property
    def total(self) -> int:
        """Return how many places were found (up to the limit per level)."""
        return len(self.divisions) + len(self.districts) + len(self.blocks) + len(self.gram_panchayats)


def search_places(query: str, area: Area, language: str) -> SearchResults:
    """Find places in the area by LGD code or by a part of their English or Hindi name."""
    query = query.strip()
    found = {}
    loaders = {
        District: (joinedload(District.division),),
        Block: (joinedload(Block.district).joinedload(District.division),),
        GramPanchayat: (joinedload(GramPanchayat.block).joinedload(Block.district),),
    }
    for model in (Division, District, Block, GramPanchayat):
        if not query:
            found[model] = []
            continue
        if query.isascii() and query.isdigit() and len(query) <= 9:
            match = model.lgd_code == int(query)
        else:
            pattern = f"%{like_escaped(query)}%"
            match = or_(model.name_en.ilike(pattern, escape="\\"), model.name_hi.ilike(pattern, escape="\\"))
        found[model] = list(db.session.scalars(
            select(model).options(*loaders.get(model, ())).where(match, area.condition(model))
            .order_by(*_name_order(model, language)).limit(SEARCH_LIMIT)))
    return SearchResults(found[Division], found[District], found[Block], found[GramPanchayat])
