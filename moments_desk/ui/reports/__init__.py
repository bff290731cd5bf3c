"""The Reports page: post performance and customers, with charts, tables and exports."""
