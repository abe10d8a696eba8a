"""Planning app: cost tables, scenarios and multi-year roadmaps built on the planning core."""
