"""Pictures: the content-addressed store, thumbnails, export for Moments, and the demo
shop's drawn product photos."""
