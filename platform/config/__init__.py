"""Project configuration: settings, URL configurations and the WSGI entry point."""
