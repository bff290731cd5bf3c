"""The Qt user interface. Talks to core services, never to SQL."""
