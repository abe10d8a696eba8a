"""Jangkau: the regency's register and planner for getting every village online."""

__version__ = "0.1.0"
