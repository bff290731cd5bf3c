"""Setting up a new shop (the first-run wizard's use-case)."""
