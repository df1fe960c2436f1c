"""The editor's preferences, kept in QSettings: name, email, organisation, fetch timeout."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

from reviewapp.core.errors import BadInput
from reviewapp.ingest.settings import IngestSettings

MIN_TIMEOUT, MAX_TIMEOUT = 2.0, 300.0


@dataclass
class Preferences:
    reviewer_name: str = ""
    email: str = ""
    organisation: str = ""
    fetch_timeout: float = IngestSettings().timeout

    def ingest_settings(self) -> IngestSettings:
        return IngestSettings(timeout=self.fetch_timeout)

    def checked(self) -> Preferences:
        """Trimmed values; raises BadInput on an unusable email or timeout."""
        email = self.email.strip()
        if email and ("@" not in email or any(ch.isspace() for ch in email)):
            raise BadInput(f"{email!r} is not an email address like ada@example.org")
        if not MIN_TIMEOUT <= self.fetch_timeout <= MAX_TIMEOUT:
            raise BadInput(
                f"the fetch timeout must be between {MIN_TIMEOUT:g} and {MAX_TIMEOUT:g} seconds"
            )
        return Preferences(
            self.reviewer_name.strip(), email, self.organisation.strip(), float(self.fetch_timeout)
        )


def load_preferences(settings: QSettings) -> Preferences:
    default = Preferences()
    try:
        timeout = float(str(settings.value("preferences/fetch_timeout", default.fetch_timeout)))
    except (TypeError, ValueError):
        timeout = default.fetch_timeout  # a hand-edited settings file: fall back, keep working
    return Preferences(
        reviewer_name=str(settings.value("preferences/reviewer_name", "") or ""),
        email=str(settings.value("preferences/email", "") or ""),
        organisation=str(settings.value("preferences/organisation", "") or ""),
        fetch_timeout=min(max(timeout, MIN_TIMEOUT), MAX_TIMEOUT),
    )


def save_preferences(settings: QSettings, prefs: Preferences) -> None:
    settings.setValue("preferences/reviewer_name", prefs.reviewer_name)
    settings.setValue("preferences/email", prefs.email)
    settings.setValue("preferences/organisation", prefs.organisation)
    settings.setValue("preferences/fetch_timeout", prefs.fetch_timeout)
    settings.sync()
