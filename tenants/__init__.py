"""The agency registry: one django-tenants schema per government agency."""
