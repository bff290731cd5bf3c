"""The Customers area: the 50,000-row list, the detail and timeline, imports."""
