"""The cross-agency service search index (not built yet)."""
