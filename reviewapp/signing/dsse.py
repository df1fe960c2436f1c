"""DSSE envelopes (Dead Simple Signing Envelope, secure-systems-lab/dsse, protocol v1) signed
with a reviewer's Ed25519 key: bytes in, bytes out.

The signature covers the pre-authentication encoding of the payload type and the payload:

    PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body

where LEN is the length in bytes as ASCII decimal and SP one space. The envelope is the JSON
object ``{"payloadType", "payload", "signatures": [{"keyid", "sig"}]}`` with payload and sig in
standard base64. The keyid is the key's SSH fingerprint (``SHA256:...``), so a reader can tell
which of the reviewer's keys signed without us inventing another key id.

Reading is strict, like the SSH armour in sshsig.py: the file must be exactly the bytes this
module writes for what it holds, so any change to it at all is reported, not only the changes
that reach the signed bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from reviewapp.core.errors import VerificationFailed
from reviewapp.signing import sshsig

# An envelope is small (a statement of a few kilobytes); anything far larger is not ours.
MAX_ENVELOPE_BYTES = 1_000_000


def pae(payload_type: str, payload: bytes) -> bytes:
    """The DSSE v1 pre-authentication encoding: what the signature actually signs."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


@dataclass(frozen=True)
class Envelope:
    payload_type: str
    payload: bytes
    keyid: str
    signature: bytes  # the raw 64-byte Ed25519 signature


def encode(envelope: Envelope) -> bytes:
    """The envelope file: JSON in a fixed field order, two-space indent, one final newline."""
    body = {
        "payloadType": envelope.payload_type,
        "payload": base64.b64encode(envelope.payload).decode("ascii"),
        "signatures": [
            {"keyid": envelope.keyid, "sig": base64.b64encode(envelope.signature).decode("ascii")}
        ],
    }
    return (json.dumps(body, indent=2, ensure_ascii=True) + "\n").encode("ascii")


def sign(payload_type: str, payload: bytes, private_key: Ed25519PrivateKey) -> bytes:
    """A DSSE envelope over payload, signed by private_key; keyid is its SSH fingerprint."""
    signature = private_key.sign(pae(payload_type, payload))
    keyid = sshsig.fingerprint(private_key.public_key())
    return encode(Envelope(payload_type, payload, keyid, signature))


def _b64(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise VerificationFailed(f"the attestation's {what} is not a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise VerificationFailed(f"the attestation's {what} is not valid base64 ({exc})") from exc


def read(content: bytes) -> Envelope:
    """Parse an envelope file; VerificationFailed with a one-line reason if it is not exactly
    one this module would write (one Ed25519 signature, canonical layout)."""
    if len(content) > MAX_ENVELOPE_BYTES:
        raise VerificationFailed(
            f"the attestation is {len(content):,} bytes, more than an envelope can be"
        )
    try:
        body = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise VerificationFailed(f"the attestation is not a JSON DSSE envelope ({exc})") from exc
    if not isinstance(body, dict) or set(body) != {"payloadType", "payload", "signatures"}:
        raise VerificationFailed(
            "the attestation is not a DSSE envelope (it needs exactly payloadType, payload "
            "and signatures)"
        )
    payload_type, signatures = body["payloadType"], body["signatures"]
    if not isinstance(payload_type, str):
        raise VerificationFailed("the attestation's payloadType is not a string")
    if not isinstance(signatures, list) or len(signatures) != 1:
        raise VerificationFailed("the attestation must carry exactly one signature")
    entry = signatures[0]
    if not isinstance(entry, dict) or set(entry) != {"keyid", "sig"}:
        raise VerificationFailed("the attestation's signature needs exactly keyid and sig")
    if not isinstance(entry["keyid"], str):
        raise VerificationFailed("the attestation's keyid is not a string")
    envelope = Envelope(
        payload_type=payload_type,
        payload=_b64(body["payload"], "payload"),
        keyid=entry["keyid"],
        signature=_b64(entry["sig"], "signature"),
    )
    if encode(envelope) != content:
        raise VerificationFailed(
            "the attestation file was changed: it is not laid out as it was written"
        )
    return envelope


def verify(content: bytes, public_key: Ed25519PublicKey, payload_type: str) -> bytes:
    """Check that content is a DSSE envelope of payload_type signed by public_key; its payload.

    Raises VerificationFailed with a one-line reason.
    """
    envelope = read(content)
    expected = sshsig.fingerprint(public_key)
    if envelope.keyid != expected:
        raise VerificationFailed(
            f"the attestation names key {envelope.keyid!r}, but the review was signed with "
            f"{expected}"
        )
    if envelope.payload_type != payload_type:
        raise VerificationFailed(
            f"the attestation's payload type is {envelope.payload_type!r}, not {payload_type!r}"
        )
    if len(envelope.signature) != 64:
        raise VerificationFailed("the attestation's signature is not an Ed25519 signature")
    try:
        public_key.verify(envelope.signature, pae(envelope.payload_type, envelope.payload))
    except InvalidSignature as exc:
        raise VerificationFailed(
            "the attestation's signature does not match: it was changed after signing"
        ) from exc
    return envelope.payload
