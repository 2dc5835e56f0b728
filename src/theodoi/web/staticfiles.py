"""Static file names: the front-end packages carry their version in their address."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage


class VendorStaticFilesStorage(StaticFilesStorage):
    """``{% static 'vendor/bootstrap/…' %}`` names the file under its versioned directory
    (``vendor/bootstrap/5.3.8/…``, ``settings.THEODOI_VENDOR_URLS``), which the browser may
    keep for a year (``WHITENOISE_IMMUTABLE_FILE_TEST``): another version is another
    address. The project's own files keep their names and are checked again after a minute."""

    def url(self, name: str | None) -> str:
        for plain, versioned in settings.THEODOI_VENDOR_URLS.items():
            if name and name.startswith(plain):
                name = versioned + name[len(plain) :]
                break
        return super().url(name)
