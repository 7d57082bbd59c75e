"""Board packs as issued: when the chair issues a pack it is kept as it was (the file, its SHA-256, who issued it
and when, publication mode, and the figures it holds), and can be downloaded again unchanged whatever changes
afterwards. The database refuses any change to an issued pack (triggers on issued_packs)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, insert, select

from assurance.access import audit
from assurance.access.roles import require
from assurance.board.pack import Pack
from assurance.db.engine import short_write
from assurance.db.models import IssuedPack
from assurance.errors import AssuranceError

ISSUED = "board pack issued"
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class IssuedPackError(AssuranceError, ValueError):
    """An issued pack cannot be given back as issued; the message says why."""


@dataclass(frozen=True)
class IssuedPackInfo:
    id: int
    period_label: str
    issued_at: datetime
    issued_by: str
    file_name: str
    media_type: str
    sha256: str
    publication_mode: bool
    size: int
    figures: str  # JSON: every table in the pack, as printed


def _cell(v):
    if isinstance(v, (list, tuple)):
        return [_cell(x) for x in v]
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def pack_figures(pack: Pack) -> str:
    """The figures a pack holds: each of its tables, as printed (already through disclosure control), as JSON."""
    tables = [{"section": s.title, "title": t.title, "columns": [str(c) for c in t.frame.columns],
               "rows": [{str(k): _cell(v) for k, v in row.items()} for row in t.frame.to_dict("records")]}
              for s in pack.sections for t in s.tables]
    return json.dumps({"board": pack.board_name, "period": pack.period_label, "produced_on": pack.generated_on,
                       "publication_mode": pack.publication_mode, "tables": tables}, default=str, sort_keys=True)


def issue_pack(engine: Engine, by, pack: Pack, fmt: str, content: bytes, now: datetime | None = None,
               source: str = "app", address: str | None = None) -> IssuedPackInfo:
    """Keep `content` (the pack rendered as `fmt`) as issued by `by` to the Board, and record it in the audit trail."""
    require(by, "issue_packs")
    if fmt not in MEDIA_TYPES:
        raise IssuedPackError(f"A board pack is issued as {', '.join(MEDIA_TYPES)}, not {fmt!r}.")
    when = (now or datetime.now()).replace(microsecond=0)
    row = {"period_label": pack.period_label, "issued_at": when, "issued_by": by.actor,
           "file_name": f"Board pack {pack.period_label} issued {when:%Y-%m-%d}.{fmt}", "media_type": MEDIA_TYPES[fmt],
           "content": content, "sha256": hashlib.sha256(content).hexdigest(),
           "publication_mode": pack.publication_mode, "figures": pack_figures(pack)}
    with short_write(engine), engine.begin() as c:  # kept and audited together, or neither
        new_id = c.execute(insert(IssuedPack).values(**row).returning(IssuedPack.id)).scalar_one()
        audit.record(engine, by.actor, ISSUED, f"Board pack {pack.period_label}",
                     {"file": row["file_name"], "sha256": row["sha256"], "bytes": len(content),
                      "publication mode": pack.publication_mode}, source, address, conn=c)
    return IssuedPackInfo(new_id, pack.period_label, when, by.actor, row["file_name"], row["media_type"],
                          row["sha256"], pack.publication_mode, len(content), row["figures"])


def issued_packs(engine: Engine, period_label: str | None = None) -> list[IssuedPackInfo]:
    """Issued packs, newest first (without their files)."""
    cols = [IssuedPack.id, IssuedPack.period_label, IssuedPack.issued_at, IssuedPack.issued_by, IssuedPack.file_name,
            IssuedPack.media_type, IssuedPack.sha256, IssuedPack.publication_mode, IssuedPack.content, IssuedPack.figures]
    stmt = select(*cols).order_by(IssuedPack.issued_at.desc(), IssuedPack.id.desc())
    if period_label is not None:
        stmt = stmt.where(IssuedPack.period_label == period_label)
    with engine.connect() as c:
        rows = c.execute(stmt).all()
    return [IssuedPackInfo(r.id, r.period_label, r.issued_at, r.issued_by, r.file_name, r.media_type, r.sha256,
                           bool(r.publication_mode), len(r.content), r.figures) for r in rows]


def issued_pack_file(engine: Engine, pack_id: int) -> tuple[str, str, bytes]:
    """(file name, media type, content) of an issued pack, checked against the SHA-256 recorded when it was issued."""
    with engine.connect() as c:
        r = c.execute(select(IssuedPack.file_name, IssuedPack.media_type, IssuedPack.content, IssuedPack.sha256)
                      .where(IssuedPack.id == pack_id)).one_or_none()
    if r is None:
        raise IssuedPackError(f"There is no issued board pack {pack_id}.")
    content = bytes(r.content)
    if hashlib.sha256(content).hexdigest() != r.sha256:
        raise IssuedPackError(f"Issued board pack {pack_id} does not match the SHA-256 recorded when it was issued.")
    return r.file_name, r.media_type, content
