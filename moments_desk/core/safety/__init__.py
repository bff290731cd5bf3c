"""Keeping the shop safe: snapshots, backup archives, integrity checks, and hostile files
(what a backup may name, how big it may be, which databases are ours, temporary files that
never outlive the run that made them)."""
