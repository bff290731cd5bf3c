"""One module per navigation area."""
