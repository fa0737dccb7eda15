"""Benchmarks and generators of large journeys; not run by the test suite."""
