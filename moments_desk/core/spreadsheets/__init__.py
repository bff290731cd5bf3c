"""Reading sellers' spreadsheets and the machinery every import shares."""
