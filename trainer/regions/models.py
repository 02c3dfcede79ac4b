"""The four levels of the hierarchy, each identified by its LGD code."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db


class Place:
    """Columns that every level shares: the LGD code and the names in both scripts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lgd_code: Mapped[int] = mapped_column(Integer, unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_hi: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.lgd_code} {self.name_en}>"


class Division(Place, db.Model):
    """A संभाग: a group of districts; training is scheduled division by division."""

    __tablename__ = "divisions"
    level_label = _l("division")

    districts: Mapped[list["District"]] = relationship(
        back_populates="division", order_by="District.name_en")


class District(Place, db.Model):
    """A जिला, with its district panchayat."""

    __tablename__ = "districts"
    level_label = _l("district")

    division_id: Mapped[int] = mapped_column(ForeignKey("divisions.id"), index=True)
    division: Mapped[Division] = relationship(back_populates="districts")
    blocks: Mapped[list["Block"]] = relationship(
        back_populates="district", order_by="Block.name_en")


class Block(Place, db.Model):
    """A janpad panchayat (जनपद पंचायत), the block level."""

    __tablename__ = "blocks"
    level_label = _l("block")

    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    district: Mapped[District] = relationship(back_populates="blocks")


class GramPanchayat(Place, db.Model):
    """A ग्राम पंचायत: the unit whose attendance counts."""

    __tablename__ = "gram_panchayats"
    level_label = _l("gram panchayat")

    block_id: Mapped[int] = mapped_column(ForeignKey("blocks.id"), index=True)
    # Its names reduced to a spelling-blind key (trainer.regions.names), so that "haridih" finds हरिडीह.
    search_key: Mapped[str] = mapped_column(String(250), default="", server_default="")
    block: Mapped[Block] = relationship()
