"""The product catalogue: products, their import and export."""
