"""The Products area: list, editor, bulk actions, import and picture tools."""
