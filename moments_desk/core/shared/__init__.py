"""What every part of the core shares: transactions, messages, money, pinyin, tags, settings,
batched statements."""
