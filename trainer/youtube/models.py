"""The department's YouTube channel, connected once by an administrator."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.core.database import UtcDateTime, utc_now
from trainer.extensions import db


class YouTubeChannel(db.Model):
    """The one connected channel: its encrypted refresh token and the reusable live stream."""

    __tablename__ = "youtube_channels"
    # There is one department channel; the fixed key makes a second row impossible.
    __table_args__ = (CheckConstraint("id = 1", name="single_channel"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    channel_id: Mapped[str] = mapped_column(String(64))
    channel_title: Mapped[str] = mapped_column(String(200))
    refresh_token: Mapped[str] = mapped_column(Text)  # encrypted
    connected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    connected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(40))
    stream_id: Mapped[str | None] = mapped_column(String(64))
    stream_address: Mapped[str | None] = mapped_column(String(300))
    stream_key: Mapped[str | None] = mapped_column(Text)  # encrypted

    connected_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<YouTubeChannel {self.channel_id} {self.channel_title}>"
