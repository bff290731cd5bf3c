"""Data safety against hostile files: what a backup may name, how big it may be, which
databases are ours, and temporary files that never outlive the run that made them (no Qt)."""
