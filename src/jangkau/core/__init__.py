"""Shared framework layer: provenance, roles and permissions, rate limits, task progress."""
