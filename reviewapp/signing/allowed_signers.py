"""The allowed_signers file of ``ssh-keygen -Y verify``: reading it and writing our line.

A line is ``PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]``; principals and option values may be
double-quoted. As in OpenSSH 9.2 (ssh-keygen(1), ALLOWED SIGNERS): the principals and the
``namespaces="..."`` option are pattern-lists (``*``, ``?``, ``!negation``, as ssh_config(5)
PATTERNS), and ``valid-after``/``valid-before`` bound when a key may be used (checked against the
time of verification, local time unless the stamp ends in ``Z``). Lines for certificate
authorities and key types other than Ed25519 are read but never match (reviewapp signs with
Ed25519 keys only).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reviewapp.core.errors import BadInput
from reviewapp.signing.sshsig import KEY_TYPE, NAMESPACE, fingerprint, public_key_from_blob

# Key types ssh-keygen knows; a token that is one of these starts the key.
_KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """OpenSSH's match_pattern: ``*`` any run of characters, ``?`` any one, the rest literal."""
    parts = ("." if ch == "?" else ".*" if ch == "*" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.DOTALL)


def match_pattern_list(text: str, patterns: str) -> bool:
    """OpenSSH's match_pattern_list (case-sensitive): True when a positive pattern matches and
    no negated (``!``) pattern does; a negated match wins over any positive one."""
    matched = False
    for pattern in patterns.split(","):
        negated = pattern.startswith("!")
        if _pattern_regex(pattern[1:] if negated else pattern).fullmatch(text):
            if negated:
                return False
            matched = True
    return matched


_STAMP = re.compile(r"(\d{8})(\d{4}(\d{2})?)?(Z?)")


def parse_timestamp(value: str) -> float:
    """``YYYYMMDD[Z]`` or ``YYYYMMDDHHMM[SS][Z]`` as seconds since the epoch (local time
    unless suffixed with Z, as OpenSSH reads them); ValueError when it is neither."""
    match = _STAMP.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a time like 20261127 or 202611271903Z")
    digits = match.group(1) + (match.group(2) or "0000")
    digits += "" if match.group(3) else "00"
    stamp = datetime.strptime(digits, "%Y%m%d%H%M%S")
    if match.group(4):
        return stamp.replace(tzinfo=UTC).timestamp()
    return stamp.timestamp()  # naive: the system's time zone, like OpenSSH's mktime


@dataclass(frozen=True)
class AllowedSigner:
    principals: str  # comma-separated patterns, as written
    key_type: str
    key_base64: str
    namespaces: str | None = None  # a pattern-list; None: every namespace
    cert_authority: bool = False
    line_number: int = 0
    valid_after: float | None = None  # seconds since the epoch
    valid_before: float | None = None

    def allows(self, namespace: str) -> bool:
        return self.namespaces is None or match_pattern_list(namespace, self.namespaces)

    def valid_at(self, when: float) -> bool:
        """Whether the key may be used at this time (both bounds inclusive, as OpenSSH)."""
        if self.valid_after is not None and when < self.valid_after:
            return False
        return self.valid_before is None or when <= self.valid_before

    def names(self, principal: str) -> bool:
        """Whether the identity ``ssh-keygen -Y verify -I principal`` matches this line."""
        return match_pattern_list(principal, _unquote_patterns(self.principals))

    @property
    def key_line(self) -> str:
        return f"{self.key_type} {self.key_base64}"

    @property
    def key_blob(self) -> bytes:
        return base64.b64decode(self.key_base64)


def _unquote_patterns(principals: str) -> str:
    return ",".join(_unquote(p) for p in principals.split(","))


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
    options: dict[str, str] = {}
    if rest[0] not in _KEY_TYPES:
        for option in _split_options(rest.pop(0)):
            name, _, value = option.partition("=")
            name = name.lower()
            if name not in ("namespaces", "cert-authority", "valid-after", "valid-before"):
                raise ValueError(f"unknown option {name!r}")
            options[name] = _unquote(value)
    if len(rest) < 2 or rest[0] not in _KEY_TYPES:
        raise ValueError("no key type (such as ssh-ed25519) where one was expected")
    try:
        base64.b64decode(rest[1], validate=True)
    except binascii.Error as exc:
        raise ValueError(f"the key is not base64 ({exc})") from exc
    bounds = {
        name: parse_timestamp(options[name]) if name in options else None
        for name in ("valid-after", "valid-before")
    }
    return AllowedSigner(
        principals=principals,
        key_type=rest[0],
        key_base64=rest[1],
        namespaces=options.get("namespaces"),
        cert_authority="cert-authority" in options,
        line_number=line_number,
        valid_after=bounds["valid-after"],
        valid_before=bounds["valid-before"],
    )


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


def usable_entries(
    entries: list[AllowedSigner], namespace: str = NAMESPACE, when: float | None = None
) -> list[AllowedSigner]:
    """The lines whose Ed25519 key may sign in namespace at this time (default: now)."""
    when = datetime.now(UTC).timestamp() if when is None else when
    usable = []
    for entry in entries:
        if entry.cert_authority or entry.key_type != KEY_TYPE or not entry.allows(namespace):
            continue
        if not entry.valid_at(when):
            continue
        try:
            public_key_from_blob(entry.key_blob)
        except ValueError:  # a damaged key can never match a signature: leave it out
            continue
        usable.append(entry)
    return usable


def usable_keys(entries: list[AllowedSigner], namespace: str = NAMESPACE) -> list[tuple[str, str]]:
    """(principals, key line) pairs that may sign in namespace with an Ed25519 key now."""
    return [(e.principals, e.key_line) for e in usable_entries(entries, namespace)]


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


# ---------------------------------------------------------------------- keys to trust
@dataclass(frozen=True)
class TrustCandidate:
    """One key offered to `reviewapp key trust`: exactly one person, no patterns."""

    principal: str
    key_line: str
    fingerprint: str

    def identity(self, name: str) -> tuple[str, str]:
        """(name, email) to trust the key for: an email principal needs the owner's name."""
        name = name.strip()
        if "@" not in self.principal:  # the principal is a name: it is the whole identity
            if name and name != self.principal:
                raise BadInput(
                    f"the line names {self.principal!r}, not {name!r}; leave out --name or "
                    "ask for a line with their email"
                )
            return self.principal, ""
        if not name:
            raise BadInput(
                f"give the name of the owner of {self.principal} with --name NAME, as their "
                "sign-offs name them"
            )
        return name, self.principal


def _candidate(entry: AllowedSigner, origin: str) -> TrustCandidate:
    where = f"{origin} line {entry.line_number}"
    principal = _unquote(entry.principals)
    if entry.cert_authority or entry.key_type != KEY_TYPE:
        raise BadInput(f"{where}: only plain ssh-ed25519 keys can be trusted")
    if not entry.allows(NAMESPACE):
        raise BadInput(f'{where}: the key is not allowed to sign for namespace "{NAMESPACE}"')
    if entry.valid_after is not None or entry.valid_before is not None:
        raise BadInput(f"{where}: a key with valid-after/valid-before cannot be trusted here")
    if not principal or any(ch in principal for ch in ",*?!"):
        raise BadInput(
            f"{where}: a trusted key belongs to one person; {entry.principals!r} is a list or a "
            "pattern"
        )
    try:
        key_fingerprint = fingerprint(public_key_from_blob(entry.key_blob))
    except ValueError as exc:
        raise BadInput(f"{where}: the key is damaged ({exc})") from exc
    return TrustCandidate(principal, entry.key_line, key_fingerprint)


def _names_a_file(source: str) -> bool:
    try:
        return "\n" not in source and Path(source).is_file()
    except (OSError, ValueError):  # a key line is no valid path (too long, NUL...)
        return False


def trust_candidates(source: str) -> list[TrustCandidate]:
    """The keys in an allowed_signers line, or in the file it names; BadInput if none."""
    if _names_a_file(source):
        entries, origin = read_file(Path(source)), source
    else:
        entries, origin = parse(source, origin="the line"), "the line"
    if not entries:
        raise BadInput(f"{origin} holds no allowed_signers line (PRINCIPAL ssh-ed25519 AAAA...)")
    return [_candidate(entry, origin) for entry in entries]
