"""Citizen reports ("Lapor Sinyal") and their moderation."""
