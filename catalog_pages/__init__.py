"""An agency's public information: its home page and (soon) its service pages."""
