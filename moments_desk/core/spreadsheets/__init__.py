"""Spreadsheets the seller opens in Excel or WPS: cells that cannot turn into formulas."""
