"""The rules and use-cases of Moments Desk. No Qt here: plain Python over the database."""
