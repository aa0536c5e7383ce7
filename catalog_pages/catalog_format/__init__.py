"""The agency catalogue interchange format ``service-catalog/1``.

``schema.json`` is a byte-identical copy of ``shared/catalog-format/schema.json``
(a test keeps it so). This package validates files and converts between the
format and the agency's pages; writes live in ``catalog_pages.services``.
"""
