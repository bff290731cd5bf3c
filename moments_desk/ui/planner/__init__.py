"""The planner: week and month views, the composer and the Moments preview."""
