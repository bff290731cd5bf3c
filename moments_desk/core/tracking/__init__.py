"""After a post: likes and comments matched to customers, draws, follow-ups, timelines."""
