"""Reports and the dashboard: SQL aggregates over posts, interactions, orders and customers.

Everything here is Qt-free and returns plain dataclasses; the UI runs it on the DB thread.
"""
