"""The demo shop the app and the benchmarks build."""
