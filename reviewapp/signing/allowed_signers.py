"""The allowed_signers file of ``ssh-keygen -Y verify``: reading it and writing our line.

A line is ``PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]``; principals and option values may be
double-quoted. We honour ``namespaces="..."``; lines for certificate authorities and key types
other than Ed25519 are read but never match (reviewapp signs with Ed25519 keys only).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.errors import BadInput
from reviewapp.signing.sshsig import KEY_TYPE, NAMESPACE, public_key_from_blob

# Key types ssh-keygen knows; a token that is one of these starts the key.
_KEY_TYPES = (
    "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
)  # fmt: skip


@dataclass(frozen=True)
class AllowedSigner:
    principals: str  # comma-separated patterns, as written
    key_type: str
    key_base64: str
    namespaces: tuple[str, ...] | None = None  # None: every namespace
    cert_authority: bool = False
    line_number: int = 0

    def allows(self, namespace: str) -> bool:
        return self.namespaces is None or namespace in self.namespaces

    @property
    def key_line(self) -> str:
        return f"{self.key_type} {self.key_base64}"


def _tokens(line: str) -> list[str]:
    """Split on whitespace outside double quotes; quotes stay in the token."""
    tokens, current, quoted = [], "", False
    for ch in line:
        if ch == '"':
            quoted = not quoted
            current += ch
        elif ch.isspace() and not quoted:
            if current:
                tokens.append(current)
            current = ""
        else:
            current += ch
    if quoted:
        raise ValueError("unbalanced double quote")
    if current:
        tokens.append(current)
    return tokens


def _split_options(text: str) -> list[str]:
    options, current, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            options.append(current)
            current = ""
        else:
            current += ch
    options.append(current)
    return options


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def parse_line(line: str, line_number: int = 0) -> AllowedSigner | None:
    """One allowed_signers line; None for blank lines and comments; ValueError if malformed."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    tokens = _tokens(stripped)
    if len(tokens) < 3:
        raise ValueError("expected PRINCIPALS [OPTIONS] KEYTYPE BASE64")
    principals = _unquote(tokens[0])
    rest = tokens[1:]
    namespaces: tuple[str, ...] | None = None
    cert_authority = False
    if rest[0] not in _KEY_TYPES:
        for option in _split_options(rest.pop(0)):
            name, _, value = option.partition("=")
            name = name.lower()
            if name == "namespaces":
                namespaces = tuple(n.strip() for n in _unquote(value).split(",") if n.strip())
            elif name == "cert-authority":
                cert_authority = True
            elif name not in ("valid-after", "valid-before"):
                raise ValueError(f"unknown option {name!r}")
    if len(rest) < 2 or rest[0] not in _KEY_TYPES:
        raise ValueError("no key type (such as ssh-ed25519) where one was expected")
    try:
        base64.b64decode(rest[1], validate=True)
    except binascii.Error as exc:
        raise ValueError(f"the key is not base64 ({exc})") from exc
    return AllowedSigner(principals, rest[0], rest[1], namespaces, cert_authority, line_number)


def parse(text: str, origin: str = "allowed signers") -> list[AllowedSigner]:
    """Every entry of an allowed_signers text; BadInput names the first bad line."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            entry = parse_line(line, number)
        except ValueError as exc:
            raise BadInput(f"{origin} line {number}: {exc}") from exc
        if entry is not None:
            entries.append(entry)
    return entries


def read_file(path: Path) -> list[AllowedSigner]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BadInput(f"no allowed signers file at {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read the allowed signers file {path}: {exc}") from exc
    return parse(text, origin=str(path))


def usable_keys(entries: list[AllowedSigner], namespace: str = NAMESPACE) -> list[tuple[str, str]]:
    """(principal, key line) pairs that may sign in namespace with an Ed25519 key."""
    pairs = []
    for entry in entries:
        if entry.cert_authority or entry.key_type != KEY_TYPE or not entry.allows(namespace):
            continue
        try:
            public_key_from_blob(base64.b64decode(entry.key_base64))
        except ValueError:  # a damaged key can never match a signature: leave it out
            continue
        pairs.append((entry.principals, entry.key_line))
    return pairs


def _quote_principal(principal: str) -> str:
    if any(ch.isspace() or ch in '",#' for ch in principal):
        if '"' in principal:
            raise BadInput(f"a signer name cannot contain a double quote: {principal!r}")
        return f'"{principal}"'
    return principal


def signer_line(principal: str, key_line: str, namespace: str = NAMESPACE) -> str:
    """``EMAIL namespaces="reviewapp" ssh-ed25519 AAAA...`` for an allowed_signers file."""
    key_type, key_base64 = key_line.split()[:2]
    return f'{_quote_principal(principal)} namespaces="{namespace}" {key_type} {key_base64}'
