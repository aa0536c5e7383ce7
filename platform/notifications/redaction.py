"""Kavenegar's API key sits in the path of every request URL; urllib3 logs those URLs at
DEBUG. This filter, put on urllib3's loggers by the settings' LOGGING, takes the key out
of each such line before any handler (console, caplog, an error tracker) sees it."""

import logging


class RedactSmsApiKey(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from django.conf import settings

        secret = getattr(settings, "KAVENEGAR_API_KEY", "") if settings.configured else ""
        if secret:
            message = record.getMessage()
            if secret in message:
                record.msg, record.args = message.replace(secret, "***"), None
        return True
