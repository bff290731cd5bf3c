"""Friend-customers: search, editing, import, addresses, birthdays, merge, privacy."""
