"""Tests of the probe agent (no Django)."""
