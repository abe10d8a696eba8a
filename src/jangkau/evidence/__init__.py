"""Connectivity evidence and the per-village status fused from it."""
