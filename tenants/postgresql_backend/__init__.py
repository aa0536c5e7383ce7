"""django-tenants' PostgreSQL backend, without repeating what it already did."""
