"""The editor's preferences, kept in QSettings: name, email, organisation, and the import limits
(fetch timeout, largest draft, time to read a draft)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from reviewapp.core.errors import BadInput
from reviewapp.ingest.settings import IngestSettings

MIN_TIMEOUT, MAX_TIMEOUT = 2.0, 300.0
# Reading a draft takes up to ~25 times its size in memory (measured: a 15 MB text file, 352 MB):
# 40 MB keeps an import under 1 GB.
MIN_DRAFT_MB, MAX_DRAFT_MB = 1, 40
MIN_READ_SECONDS, MAX_READ_SECONDS = 2.0, 60.0
_DEFAULT = IngestSettings()


@dataclass
class Preferences:
    reviewer_name: str = ""
    email: str = ""
    organisation: str = ""
    fetch_timeout: float = _DEFAULT.timeout
    max_draft_mb: int = _DEFAULT.max_bytes // 2**20
    max_read_seconds: float = _DEFAULT.max_seconds

    def ingest_settings(self) -> IngestSettings:
        return IngestSettings(
            timeout=self.fetch_timeout,
            max_bytes=self.max_draft_mb * 2**20,
            max_seconds=self.max_read_seconds,
        )

    def checked(self) -> Preferences:
        """Trimmed values; raises BadInput on an unusable email or timeout."""
        email = self.email.strip()
        if email and ("@" not in email or any(ch.isspace() for ch in email)):
            raise BadInput(f"{email!r} is not an email address like ada@example.org")
        if not MIN_TIMEOUT <= self.fetch_timeout <= MAX_TIMEOUT:
            raise BadInput(
                f"the fetch timeout must be between {MIN_TIMEOUT:g} and {MAX_TIMEOUT:g} seconds"
            )
        if not MIN_DRAFT_MB <= self.max_draft_mb <= MAX_DRAFT_MB:
            raise BadInput(
                f"the largest draft must be between {MIN_DRAFT_MB} and {MAX_DRAFT_MB} MB"
            )
        if not MIN_READ_SECONDS <= self.max_read_seconds <= MAX_READ_SECONDS:
            raise BadInput(
                f"the time to read a draft must be between {MIN_READ_SECONDS:g} and "
                f"{MAX_READ_SECONDS:g} seconds"
            )
        return Preferences(
            self.reviewer_name.strip(),
            email,
            self.organisation.strip(),
            float(self.fetch_timeout),
            int(self.max_draft_mb),
            float(self.max_read_seconds),
        )


def _number(settings: QSettings, key: str, default: float, low: float, high: float) -> float:
    """A number from the settings file, within its range; the default if it is not a number."""
    try:
        value = float(str(settings.value(f"preferences/{key}", default)))
    except (TypeError, ValueError):
        return default  # a hand-edited settings file: fall back, keep working
    return min(max(value, low), high) if math.isfinite(value) else default


def load_preferences(settings: QSettings) -> Preferences:
    default = Preferences()
    return Preferences(
        reviewer_name=str(settings.value("preferences/reviewer_name", "") or ""),
        email=str(settings.value("preferences/email", "") or ""),
        organisation=str(settings.value("preferences/organisation", "") or ""),
        fetch_timeout=_number(
            settings, "fetch_timeout", default.fetch_timeout, MIN_TIMEOUT, MAX_TIMEOUT
        ),
        max_draft_mb=int(
            _number(settings, "max_draft_mb", default.max_draft_mb, MIN_DRAFT_MB, MAX_DRAFT_MB)
        ),
        max_read_seconds=_number(
            settings,
            "max_read_seconds",
            default.max_read_seconds,
            MIN_READ_SECONDS,
            MAX_READ_SECONDS,
        ),
    )


def save_preferences(settings: QSettings, prefs: Preferences) -> None:
    settings.setValue("preferences/reviewer_name", prefs.reviewer_name)
    settings.setValue("preferences/email", prefs.email)
    settings.setValue("preferences/organisation", prefs.organisation)
    settings.setValue("preferences/fetch_timeout", prefs.fetch_timeout)
    settings.setValue("preferences/max_draft_mb", prefs.max_draft_mb)
    settings.setValue("preferences/max_read_seconds", prefs.max_read_seconds)
    settings.sync()
