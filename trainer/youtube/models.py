"""The department's YouTube channel, connected once by an administrator, and each session's broadcast on it."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from trainer.accounts.models import User
from trainer.core.database import UtcDateTime, utc_now
from trainer.extensions import db
from trainer.programmes.models import TrainingSession


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


class YouTubeBroadcast(db.Model):
    """The broadcast of one session on the department's channel, and how far it is in step with the session.

    What a session still owes the channel is derived (`sync.owed`), never stored: a published or live session
    without a link of its own needs a broadcast; one whose `sequence` moved past `synced_sequence` needs it
    updated; a cancelled one needs it deleted. The rest is the work's bookkeeping: the last error, the
    back-off before the next try, and the claim that keeps two workers off one session.
    """

    __tablename__ = "youtube_broadcasts"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"),
                                            primary_key=True)
    broadcast_id: Mapped[str | None] = mapped_column(String(64))
    # The session's sequence the broadcast was last brought in line with (None: never).
    synced_sequence: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    views: Mapped[int | None] = mapped_column(Integer)
    peak_viewers: Mapped[int | None] = mapped_column(Integer)
    stats_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    # `session.youtube` on the session's side: the session knows nothing of YouTube itself.
    session: Mapped[TrainingSession] = relationship(backref=backref("youtube", uselist=False))

    def __repr__(self) -> str:
        return f"<YouTubeBroadcast session={self.session_id} {self.broadcast_id}>"
