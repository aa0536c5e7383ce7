"""Limits of the national topic and life-event lists."""

# As long as a slug in the catalogue format (and in the search index's arrays).
SLUG_MAX_LENGTH = 80
