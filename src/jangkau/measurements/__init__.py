"""Measurements and surveys: speed tests, signal readings, Podes village surveys, open data."""
