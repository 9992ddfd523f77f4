"""Back office tables and the indexes its queries need on the zaken tables."""

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.zaken.models import Rol, Status, Zaak


class FormSubmission(Base):
    """A back-office form that was submitted: its one-time token, so a second submit of the
    same form (double click, reload, second tab) has no second effect. The unique token
    decides, in the database, which of two simultaneous submits acts."""

    __tablename__ = "backoffice_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    action: Mapped[str] = mapped_column(String(30))
    zaak_identificatie: Mapped[str] = mapped_column(String(40))
    staff_username: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)


# The work queue: a team's open zaken (einddatum IS NULL), most urgent deadline first.
Index("ix_zaken_team_einddatum_uiterlijke", Zaak.team, Zaak.einddatum,
      Zaak.uiterlijke_einddatum_afdoening)
# The KCC's queue across teams: every open zaak, most urgent deadline first.
Index("ix_zaken_einddatum_uiterlijke", Zaak.einddatum, Zaak.uiterlijke_einddatum_afdoening)
# The current status of every zaak on a queue page: max(id) per zaak_id from the index alone.
Index("ix_statussen_zaak_id_id", Status.zaak_id, Status.id)
# The queue's search: part of a name (ILIKE) or the last digits of a zaaknummer (LIKE
# '%...'), which a b-tree cannot serve; PostgreSQL's trigram indexes (pg_trgm, GIN) can.
# SQLite gets plain indexes of the same name that the search does not use: it scans, which
# takes milliseconds at a small municipality's volume. Created by migration 6f7a8b9cab01.
Index("ix_rollen_naam_trgm", Rol.naam,
      postgresql_using="gin", postgresql_ops={"naam": "gin_trgm_ops"})
Index("ix_zaken_identificatie_trgm", Zaak.identificatie,
      postgresql_using="gin", postgresql_ops={"identificatie": "gin_trgm_ops"})
