"""Persistence: one SQLite file per library, through sqlite-utils."""

from reviewapp.store.database import default_db_path, open_database
from reviewapp.store.reviews import ReviewStore

__all__ = ["ReviewStore", "default_db_path", "open_database"]
