"""The single window's search: one index of every agency's services in the public schema,
kept in step by an outbox, with Persian normalisation (``persian.text``), typo
correction, synonyms and suggestions, on PostgreSQL or Elasticsearch."""
