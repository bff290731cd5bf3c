"""The team: profiles and PINs, WeChat accounts, approval and the audit log."""
