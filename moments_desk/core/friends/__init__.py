"""Friends per WeChat account: the 5,000-friend limit and splitting an import across accounts."""
