"""Pictures: drawing the demo shop's product photos."""
