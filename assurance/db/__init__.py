"""The database: models, engine and sessions, migrations, bulk loading."""

from assurance.db.engine import bulk_insert, get_engine, session_scope, upgrade
from assurance.db.models import Base

__all__ = ["Base", "bulk_insert", "get_engine", "session_scope", "upgrade"]
