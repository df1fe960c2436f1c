"""Signing git commits with the editor's key from the keyring: reviewapp as ``gpg.ssh.program``.

git (``gpg.format=ssh``) signs a commit by running its ``gpg.ssh.program`` the way it would run
``ssh-keygen``: ``-Y sign -n git -f KEYFILE FILE``, where KEYFILE holds the public key of
``user.signingKey`` (a ``key::`` literal, written to a temporary file by git) and FILE the
commit to sign; it then reads the armoured signature from ``FILE.sig``. Speaking that interface,
reviewapp signs with the private key that stays in the system keyring: it never touches disk.
Every other ``-Y`` operation (verify, find-principals, check-novalidate) is handed to the real
ssh-keygen, so plain git in the archive's working copy verifies as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.errors import BadInput, SigningUnavailable
from reviewapp.secrets import SERVICE, SecretStore
from reviewapp.signing import sshsig


@dataclass(frozen=True)
class SignRequest:
    namespace: str
    key_file: Path
    data_file: Path


def parse_sign_request(args: Sequence[str]) -> SignRequest | None:
    """The ``-Y sign -n NS -f KEYFILE FILE`` request git makes; None for any other operation."""
    args = list(args)
    if args[:2] != ["-Y", "sign"]:
        return None
    namespace, key_file, rest = "", "", args[2:]
    files: list[str] = []
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg in ("-n", "-f") and i + 1 < len(rest):
            if arg == "-n":
                namespace = rest[i + 1]
            else:
                key_file = rest[i + 1]
            i += 2
        elif arg == "-U":  # "the key is in the agent": ours is in the keyring instead
            i += 1
        elif arg.startswith("-"):
            raise BadInput(f"unsupported ssh-keygen signing option {arg}")
        else:
            files.append(arg)
            i += 1
    if not namespace or not key_file or len(files) != 1:
        raise BadInput("expected: -Y sign -n NAMESPACE -f KEYFILE FILE")
    return SignRequest(namespace, Path(key_file), Path(files[0]))


def sign_file(request: SignRequest, secrets: SecretStore, account: str) -> Path:
    """Sign request.data_file with the keyring key of account, which must be the key in
    request.key_file; write FILE.sig and return its path."""
    try:
        wanted = sshsig.parse_public_key(request.key_file.read_text(encoding="utf-8").strip())
    except (OSError, ValueError, BadInput) as exc:
        raise BadInput(f"cannot read the public key git gave ({request.key_file}): {exc}") from exc
    stored = secrets.get(SERVICE, account)
    if stored is None:
        raise SigningUnavailable(
            f"the system keyring holds no reviewapp key for {account}; the archive commit "
            "cannot be signed on this computer"
        )
    try:
        private_key = sshsig.private_key_from_text(stored)
    except ValueError as exc:
        raise SigningUnavailable(
            f"the keyring entry for {account} is not a reviewapp key: {exc}"
        ) from exc
    have = sshsig.fingerprint(private_key.public_key())
    if have != sshsig.fingerprint(wanted):
        raise SigningUnavailable(
            f"the keyring key for {account} ({have}) is not the archive's signing key "
            f"({sshsig.fingerprint(wanted)})"
        )
    data = request.data_file.read_bytes()
    signature = sshsig.sign(data, private_key, namespace=request.namespace)
    out = request.data_file.with_name(request.data_file.name + ".sig")
    out.write_text(signature, encoding="ascii")
    return out
