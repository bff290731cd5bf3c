"""The first-run wizard: language, shop and accounts, a posting rhythm, imports, data folder."""
