"""Customer stages: the 潜在客户 → 客户 → 粉丝 → 铁粉 ladder applied from what is recorded."""
