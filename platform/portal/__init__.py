"""The national portal (public schema): the front door for citizens."""
