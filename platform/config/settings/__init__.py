"""Settings modules: ``base`` (shared), ``dev``, ``production`` and ``test``."""
