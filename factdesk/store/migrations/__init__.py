"""Alembic migrations of the evidence board (batch mode on SQLite)."""
