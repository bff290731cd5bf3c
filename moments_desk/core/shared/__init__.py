"""What every domain of core/ shares."""
