"""Sellers' spreadsheets: reading them safely (bounds, the machinery every import shares) and
writing cells that cannot turn into formulas."""
