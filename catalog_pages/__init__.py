"""An agency's public information: its home page and service pages (each service's full
information package), their completeness, and the service-catalog/1 import and export."""
