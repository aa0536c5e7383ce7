"""SMS to citizens through a database outbox: queued with the change, sent by the worker."""
