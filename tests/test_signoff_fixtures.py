"""Shared helpers for the sign-off, verify and keyring tests (this module holds no tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewapp.store import ReviewStore
from tests.conftest import make_draft, record_accountability

PARAS = [
    "Amazon has committed $4 billion to the startup.",
    "Anthropic suspended global access to two specific model versions.",
    "The cloud demands 99.9% reliability, the company said.",
]
EMAIL = "ada@example.org"
REVIEWER = "Ada Editor"
SIGNED_AT = "2026-11-27T19:03:10Z"

needs_ssh_keygen = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen (openssh-client)"
)


def ready_review(store: ReviewStore, title: str = "Amazon and Anthropic") -> int:
    """A review that passes the gate: every claim checked, sourced or overridden, a verdict."""
    review_id = store.add_article(make_draft(PARAS, title=title))
    money = store.add_claim_by_quote(
        review_id, "has committed $4 billion", status="false", correction="has committed $8 billion"
    )
    store.add_claim_by_quote(
        review_id, "two specific model versions", status="verified", note="Company statement"
    )
    store.add_claim_by_quote(review_id, "99.9% reliability", status="opinion")
    # The filing shows the $4 billion is wrong: it refutes the claim marked false.
    store.add_source(
        review_id,
        [money.id],
        {money.id: "refutes"},
        url="https://example.org/filing",
        title="SEC filing",
    )
    versions = store.claim(review_id, 2)
    store.update_claim(versions.id, source_override="Read the company's own notice")
    store.set_review(review_id, reviewer=REVIEWER, verdict="publish-with-corrections")
    record_accountability(store, review_id)
    return review_id


@dataclass
class SignedFiles:
    md: Path
    sig: Path
    allowed_signers: Path
    principal: str


def write_allowed_signers(path: Path, principal: str, public_key: str) -> Path:
    path.write_text(f'{principal} namespaces="reviewapp" {public_key}\n', encoding="utf-8")
    return path


def openssh_verify(allowed: Path, principal: str, md: Path, sig: Path) -> int:
    """Exit code of `ssh-keygen -Y verify` of md's signature sig by principal: the plain
    OpenSSH check the exported Markdown tells readers to run."""
    with open(md, "rb") as stdin:
        return subprocess.run(
            [
                *("ssh-keygen", "-Y", "verify", "-f", str(allowed)),
                *("-I", principal, "-n", "reviewapp", "-s", str(sig)),
            ],
            stdin=stdin,
            capture_output=True,
            env={**os.environ, "LC_ALL": "C"},
        ).returncode


def ssh_keygen_verify(files: SignedFiles, md: Path | None = None, sig: Path | None = None) -> int:
    """openssh_verify of the exported files (or another md / sig beside them)."""
    return openssh_verify(files.allowed_signers, files.principal, md or files.md, sig or files.sig)


def secret_service_missing() -> str | None:
    """None when a Secret Service answers on the session bus, else why there is none."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session bus: run the suite through tests/with-secret-service"
    import secretstorage
    from secretstorage.exceptions import SecretServiceNotAvailableException

    try:
        connection = secretstorage.dbus_init()
    except SecretServiceNotAvailableException as exc:
        return f"the D-Bus session bus cannot be reached ({exc})"
    try:
        if not secretstorage.check_service_availability(connection):
            return "no Secret Service (org.freedesktop.secrets) on the session bus"
    finally:
        connection.close()
    return None


@pytest.fixture
def secret_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the real Secret Service; skip (or, with REVIEWAPP_REQUIRE_SECRET_SERVICE=1 as in CI,
    fail) when there is none."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.delenv("REVIEWAPP_SECRET_STORE", raising=False)
    missing = secret_service_missing()
    if missing:
        if os.environ.get("REVIEWAPP_REQUIRE_SECRET_SERVICE"):
            pytest.fail(f"REVIEWAPP_REQUIRE_SECRET_SERVICE is set, but {missing}")
        pytest.skip(missing)
