"""Web addresses as the app keeps them: never with credentials in them."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def without_credentials(url: str) -> str:
    """The address with any ``user:password@`` removed (a signed export must not carry it).

    Text that does not parse as an address (``http://[::1``) is returned unchanged: deciding
    whether it is usable is the caller's job, and this must never raise.
    """
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
        if parts.username is None and parts.password is None:
            return url
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit(parts._replace(netloc=host))
    except ValueError:
        return url
