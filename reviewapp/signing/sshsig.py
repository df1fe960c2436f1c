"""Ed25519 keys and SSH signatures in the SSHSIG format of OpenSSH's PROTOCOL.sshsig.

A signature made here verifies with ``ssh-keygen -Y verify``, and one made by
``ssh-keygen -Y sign`` with an Ed25519 key verifies here. Layout, from the spec:

    blob        = "SSHSIG" uint32(1) string(public key) string(namespace) string(reserved)
                  string(hash algorithm) string(signature)
    signed data = "SSHSIG" string(namespace) string(reserved) string(hash algorithm)
                  string(H(message))

where ``string`` is a uint32 length followed by the bytes, the public key is the SSH wire blob
(string "ssh-ed25519", string 32-byte key) and the signature is (string "ssh-ed25519",
string 64-byte signature). The blob travels base64-armoured at 70 columns.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from reviewapp.core.errors import BadInput, VerificationFailed

NAMESPACE = "reviewapp"
KEY_TYPE = "ssh-ed25519"
HASH_ALGORITHM = "sha512"
ARMOUR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
ARMOUR_END = "-----END SSH SIGNATURE-----"
ARMOUR_WIDTH = 70
_MAGIC = b"SSHSIG"
_VERSION = 1
_HASHES = {"sha512": hashlib.sha512, "sha256": hashlib.sha256}


# ---------------------------------------------------------------------- wire encoding
def _string(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


class _Reader:
    """Reads SSH wire fields; any short or malformed field is a ValueError."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError("truncated")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def uint32(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])

    def string(self) -> bytes:
        return self.take(self.uint32())

    def end(self) -> None:
        if self.pos != len(self.data):
            raise ValueError("trailing bytes")


# ---------------------------------------------------------------------- keys
def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_text(key: Ed25519PrivateKey) -> str:
    """The OpenSSH private key format (unencrypted: the keyring is what protects it)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    ).decode("ascii")


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """Load a key written by private_key_to_text; ValueError if it is not an Ed25519 key."""
    key = serialization.load_ssh_private_key(text.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"expected an Ed25519 key, found {type(key).__name__}")
    return key


def public_key_blob(key: Ed25519PublicKey) -> bytes:
    """The SSH wire form: string "ssh-ed25519", string 32-byte key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _string(KEY_TYPE.encode()) + _string(raw)


def public_key_from_blob(blob: bytes) -> Ed25519PublicKey:
    """Parse an SSH public key blob; ValueError unless it is a well-formed Ed25519 key."""
    reader = _Reader(blob)
    key_type = reader.string()
    if key_type != KEY_TYPE.encode():
        raise ValueError(
            f"only {KEY_TYPE} keys are supported, not {key_type.decode(errors='replace')}"
        )
    raw = reader.string()
    reader.end()
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_line(key: Ed25519PublicKey, comment: str = "") -> str:
    """``ssh-ed25519 AAAA... comment``, as in an authorized_keys or .pub file."""
    line = f"{KEY_TYPE} {base64.b64encode(public_key_blob(key)).decode('ascii')}"
    comment = " ".join(comment.split())
    return f"{line} {comment}" if comment else line


def parse_public_key(line: str) -> Ed25519PublicKey:
    """Read ``ssh-ed25519 AAAA... [comment]``; BadInput if it is anything else."""
    parts = line.strip().split()
    if len(parts) < 2 or parts[0] != KEY_TYPE:
        raise BadInput(f"not an {KEY_TYPE} public key: {line.strip()[:40]!r}")
    try:
        blob = base64.b64decode(parts[1], validate=True)
        return public_key_from_blob(blob)
    except (binascii.Error, ValueError) as exc:
        raise BadInput(f"damaged {KEY_TYPE} public key ({exc})") from exc


def fingerprint(key: Ed25519PublicKey | bytes) -> str:
    """``SHA256:`` + unpadded base64 of SHA-256 over the key blob, as ``ssh-keygen -l`` prints."""
    blob = key if isinstance(key, bytes) else public_key_blob(key)
    digest = hashlib.sha256(blob).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


# ---------------------------------------------------------------------- signatures
@dataclass(frozen=True)
class SshSignature:
    """The fields of an SSHSIG blob."""

    public_key: bytes  # the signer's public key blob
    namespace: str
    reserved: bytes
    hash_algorithm: str
    signature: bytes  # string key type, string raw signature

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


@dataclass(frozen=True)
class VerifiedSignature:
    """Who signed: the allowed principal and the key; the workflow adds name and time."""

    principal: str
    fingerprint: str
    reviewer: str = ""
    email: str = ""
    signed_at: str = ""
    superseded_at: str = ""  # when the database knows this sign-off was reopened
    superseded_reason: str = ""  # and why (a reopen's reason, or a newer revision imported)
    attestation: str = ""  # the attestation file checked with it (NAME.intoto.json), if any


def _signed_data(namespace: str, reserved: bytes, hash_algorithm: str, message: bytes) -> bytes:
    digest = _HASHES[hash_algorithm](message).digest()
    return (
        _MAGIC
        + _string(namespace.encode("utf-8"))
        + _string(reserved)
        + _string(hash_algorithm.encode("ascii"))
        + _string(digest)
    )


def armour(blob: bytes) -> str:
    """The blob as ssh-keygen writes it: header, base64 at 70 columns, footer, newline."""
    text = base64.b64encode(blob).decode("ascii")
    lines = [text[i : i + ARMOUR_WIDTH] for i in range(0, len(text), ARMOUR_WIDTH)]
    return "\n".join([ARMOUR_BEGIN, *lines, ARMOUR_END]) + "\n"


def dearmour(armoured: str | bytes) -> bytes:
    """The blob inside the armour. Strict: anything but the exact canonical text is refused.

    ssh-keygen tolerates extra whitespace and text after the footer; we do not, so that any
    change at all to a .sig file is reported.
    """
    if isinstance(armoured, bytes):
        try:
            armoured = armoured.decode("ascii")
        except UnicodeDecodeError as exc:
            raise ValueError("not ASCII") from exc
    lines = armoured.split("\n")
    if len(lines) < 4 or lines[0] != ARMOUR_BEGIN or lines[-2] != ARMOUR_END or lines[-1]:
        raise ValueError("the BEGIN/END SSH SIGNATURE lines are missing or changed")
    try:
        blob = base64.b64decode("".join(lines[1:-2]), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"bad base64 ({exc})") from exc
    if armour(blob) != armoured:
        raise ValueError("the armour is not in its canonical form")
    return blob


def encode_signature(sig: SshSignature) -> bytes:
    return (
        _MAGIC
        + struct.pack(">I", _VERSION)
        + _string(sig.public_key)
        + _string(sig.namespace.encode("utf-8"))
        + _string(sig.reserved)
        + _string(sig.hash_algorithm.encode("ascii"))
        + _string(sig.signature)
    )


def decode_signature(blob: bytes) -> SshSignature:
    """Parse an SSHSIG blob; ValueError says what is wrong."""
    reader = _Reader(blob)
    if reader.take(len(_MAGIC)) != _MAGIC:
        raise ValueError("no SSHSIG preamble")
    version = reader.uint32()
    if version != _VERSION:
        raise ValueError(f"unsupported SSHSIG version {version}")
    sig = SshSignature(
        public_key=reader.string(),
        namespace=reader.string().decode("utf-8"),
        reserved=reader.string(),
        hash_algorithm=reader.string().decode("ascii"),
        signature=reader.string(),
    )
    reader.end()
    return sig


def sign(data: bytes, private_key: Ed25519PrivateKey, namespace: str = NAMESPACE) -> str:
    """The armoured SSH signature over data (sha512), as ``ssh-keygen -Y sign`` writes it."""
    if not namespace:
        raise ValueError("an SSH signature needs a namespace")
    raw = private_key.sign(_signed_data(namespace, b"", HASH_ALGORITHM, data))
    sig = SshSignature(
        public_key=public_key_blob(private_key.public_key()),
        namespace=namespace,
        reserved=b"",
        hash_algorithm=HASH_ALGORITHM,
        signature=_string(KEY_TYPE.encode()) + _string(raw),
    )
    return armour(encode_signature(sig))


def read_signature(armoured: str | bytes) -> SshSignature:
    """Parse an armoured signature; VerificationFailed with the reason if it is damaged."""
    try:
        return decode_signature(dearmour(armoured))
    except (ValueError, UnicodeDecodeError) as exc:
        raise VerificationFailed(
            f"the signature file is damaged or not an SSH signature: {exc}"
        ) from exc


def _check_cryptography(data: bytes, sig: SshSignature) -> Ed25519PublicKey:
    try:
        key = public_key_from_blob(sig.public_key)
        reader = _Reader(sig.signature)
        sig_type, raw = reader.string(), reader.string()
        reader.end()
    except ValueError as exc:
        raise VerificationFailed(f"the signature cannot be checked: {exc}") from exc
    if sig_type != KEY_TYPE.encode() or len(raw) != 64:
        raise VerificationFailed("the signature is not an Ed25519 signature")
    try:
        key.verify(raw, _signed_data(sig.namespace, sig.reserved, sig.hash_algorithm, data))
    except InvalidSignature as exc:
        raise VerificationFailed(
            "the signature does not match: the file or its signature was changed after signing"
        ) from exc
    return key


def verify_intact(data: bytes, armoured: str | bytes, namespace: str = NAMESPACE) -> SshSignature:
    """Check that armoured is a good signature over data in namespace by the key it carries.

    This says nothing about who signed: the caller decides whether that key is trusted.
    Raises VerificationFailed with a one-line reason.
    """
    sig = read_signature(armoured)
    if sig.namespace != namespace:
        raise VerificationFailed(
            f"the signature is for namespace {sig.namespace!r}, not {namespace!r}"
        )
    if sig.hash_algorithm not in _HASHES:
        raise VerificationFailed(f"unsupported signature hash {sig.hash_algorithm!r}")
    _check_cryptography(data, sig)
    return sig


def verify(
    data: bytes,
    armoured: str | bytes,
    allowed: Iterable[tuple[str, str | Ed25519PublicKey]],
    namespace: str = NAMESPACE,
) -> VerifiedSignature:
    """Check that armoured signs data in namespace with one of the allowed (principal, key).

    Keys may be given as ``ssh-ed25519 AAAA...`` lines or as key objects. Raises
    VerificationFailed with a one-line reason.
    """
    sig = verify_intact(data, armoured, namespace)
    for principal, key in allowed:
        parsed = parse_public_key(key) if isinstance(key, str) else key
        if public_key_blob(parsed) == sig.public_key:
            return VerifiedSignature(principal=principal, fingerprint=sig.fingerprint)
    raise VerificationFailed(
        f"the file is intact, but it was signed with key {sig.fingerprint}, "
        "which is not among the known signers"
    )
