"""Development on a laptop: debug pages, a throwaway secret."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only-never-in-production")
TRACKING_KEY = env_str("TRACKING_KEY", "development-only-tracking-key-never-in-production")

STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
