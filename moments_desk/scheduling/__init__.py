"""Timers derived from the database: the database stays the single source of truth."""
