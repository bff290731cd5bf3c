"""Keeping the shop safe: snapshots, backup archives and integrity checks."""
