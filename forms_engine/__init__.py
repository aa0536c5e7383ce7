"""The citizen's online request: a form generated from a service's information package
(fields and document slots), submitted through the request backend, and its receipt."""
