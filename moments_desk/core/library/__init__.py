"""The 素材库 (content library): reusable non-selling posts and the built-in starters.

``starters`` holds the Chinese starters per kind; ``picking`` chooses an entry for a slot
(pure); ``entries`` reads and writes the seller's own entries.
"""
