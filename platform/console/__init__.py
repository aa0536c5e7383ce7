"""The national console: national administrators' tools in the public Wagtail admin."""
