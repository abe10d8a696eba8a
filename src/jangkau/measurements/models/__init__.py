"""Models of this app (one module per noun)."""
