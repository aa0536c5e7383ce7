"""Request forms generated from a service's information package (not built yet)."""
