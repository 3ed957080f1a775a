"""Typed readers for settings taken from the environment.

Every setting of the platform comes from an environment variable with a safe local default. A value
that cannot be read stops start-up with a message naming the variable, rather than running with a
half-understood configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "oui"}
_FALSE = {"0", "false", "no", "off", "non", ""}


def redacted_url(url: str) -> str:
    """The URL with its password replaced, so that an error message never prints a secret."""
    try:
        parsed = urlparse(url)
        password = parsed.password
    except ValueError:
        return "<unreadable URL>"
    if not password:
        return url
    netloc = parsed.netloc.replace(f":{password}@", ":***@", 1)
    return parsed._replace(netloc=netloc).geturl()


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        return None if value is None else value.strip()

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self._raw(name)
        if value is None or value == "":
            if required:
                raise ImproperlyConfigured(f"{name} must be set.")
            if default is None:
                raise ImproperlyConfigured(f"{name} must be set (no default).")
            return default
        return value

    def optional_str(self, name: str) -> str | None:
        value = self._raw(name)
        return value or None

    def bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a boolean: use one of true/false, 1/0, yes/no, on/off."
        )

    def int(self, name: str, default: int, *, min_value: int | None = None) -> int:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
        if min_value is not None and number < min_value:
            raise ImproperlyConfigured(f"{name}={number} must be at least {min_value}.")
        return number

    def list(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def url(self, name: str, default: str | None = None, *, schemes: tuple[str, ...]) -> str | None:
        value = self._raw(name)
        if value is None or value == "":
            return default
        shown = redacted_url(value)
        try:
            parsed = urlparse(value)
            parsed.port  # noqa: B018 - urlparse checks the port only when it is read
        except ValueError:
            raise ImproperlyConfigured(f"{name}={shown!r} is not a valid URL (bad host or port).") from None
        if parsed.scheme not in schemes:
            raise ImproperlyConfigured(
                f"{name}={shown!r} is not a valid URL: the scheme must be one of "
                f"{', '.join(schemes)}."
            )
        if parsed.scheme not in ("sqlite", "file", "console", "memory", "locmem") and not (
            parsed.hostname or parsed.path
        ):
            raise ImproperlyConfigured(f"{name}={shown!r} has no host.")
        return value
