"""Shared UI parts: widgets, combo helpers, labels, id-based tables, list pages, the theme,
thumbnails, the database thread, the change signals and the import dialog every import shares."""
