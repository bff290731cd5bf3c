"""Pictures: the content-addressed store, thumbnails, export for Moments."""
