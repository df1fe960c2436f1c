"""SSH signatures (SSHSIG) made here and checked by OpenSSH's ssh-keygen, and the reverse."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.signing import allowed_signers, sshsig
from tests.test_signoff_fixtures import SignedFiles, needs_ssh_keygen, ssh_keygen_verify

MESSAGE = "# Review: Ünïcode ✓ 😀\n\nStatus: signed-off\n".encode()
PRINCIPAL = "ada@example.org"


@pytest.fixture(scope="module")
def key():
    return sshsig.new_private_key()


@pytest.fixture
def signed(tmp_path: Path, key) -> SignedFiles:
    md = tmp_path / "review.md"
    md.write_bytes(MESSAGE)
    sig = tmp_path / "review.md.sig"
    sig.write_text(sshsig.sign(MESSAGE, key), encoding="ascii")
    line = allowed_signers.signer_line(PRINCIPAL, sshsig.public_key_line(key.public_key()))
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(line + "\n")
    return SignedFiles(md, sig, allowed, PRINCIPAL)


def _ours(files: SignedFiles, md: bytes, sig: bytes) -> bool:
    entries = allowed_signers.read_file(files.allowed_signers)
    try:
        sshsig.verify(md, sig, allowed_signers.usable_keys(entries))
    except VerificationFailed:
        return False
    return True


def test_the_armour_is_what_ssh_keygen_writes(key):
    text = sshsig.sign(MESSAGE, key)
    lines = text.split("\n")
    assert lines[0] == "-----BEGIN SSH SIGNATURE-----"
    assert lines[-2:] == ["-----END SSH SIGNATURE-----", ""]
    body = lines[1:-2]
    assert all(len(line) == 70 for line in body[:-1]) and 0 < len(body[-1]) <= 70
    parsed = sshsig.read_signature(text)
    assert (parsed.namespace, parsed.hash_algorithm, parsed.reserved) == (
        "reviewapp",
        "sha512",
        b"",
    )
    assert parsed.fingerprint == sshsig.fingerprint(key.public_key())


def test_ed25519_signatures_are_deterministic(key):
    # Same bytes, same key: the same signature, so re-exports can be byte-identical.
    assert sshsig.sign(MESSAGE, key) == sshsig.sign(MESSAGE, key)


@needs_ssh_keygen
def test_fingerprint_and_public_key_line_match_ssh_keygen(tmp_path: Path, key):
    pub = tmp_path / "key.pub"
    pub.write_text(sshsig.public_key_line(key.public_key(), "Ada Editor") + "\n")
    out = subprocess.run(["ssh-keygen", "-l", "-f", str(pub)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:2] == ["256", sshsig.fingerprint(key.public_key())]
    assert out.stdout.rstrip().endswith("Ada Editor (ED25519)")


@needs_ssh_keygen
def test_the_untouched_pair_passes_ssh_keygen_and_ours(signed: SignedFiles):
    assert ssh_keygen_verify(signed) == 0
    assert _ours(signed, signed.md.read_bytes(), signed.sig.read_bytes())


def _mutations(data: bytes, positions: list[int]) -> list[tuple[str, int, bytes]]:
    out = []
    for i in positions:
        out.append(("flip", i, data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]))
        out.append(("insert", i, data[:i] + b"A" + data[i:]))
        out.append(("delete", i, data[:i] + data[i + 1 :]))
    return out


def _sample(rng: random.Random, candidates: list[int], k: int = 20) -> list[int]:
    # Always the first and last byte, then a spread of random ones.
    chosen = {candidates[0], candidates[-1], *rng.sample(candidates, min(k, len(candidates)) - 2)}
    return sorted(chosen)


@needs_ssh_keygen
def test_one_byte_changed_anywhere_in_the_markdown_fails_both_verifiers(signed: SignedFiles):
    rng = random.Random(4)
    md, sig = signed.md.read_bytes(), signed.sig.read_bytes()
    changed = signed.md.with_name("changed.md")
    for kind, pos, mutated in _mutations(md, _sample(rng, list(range(len(md))))):
        changed.write_bytes(mutated)
        assert ssh_keygen_verify(signed, md=changed) != 0, (kind, pos)
        assert not _ours(signed, mutated, sig), (kind, pos)


def _data_positions(sig: bytes) -> list[int]:
    """Positions of the .sig bytes that carry data: everything but line breaks and the tail
    after the footer, which ssh-keygen's armour reader skips by design."""
    end = sig.index(b"-----END SSH SIGNATURE-----") + len(b"-----END SSH SIGNATURE-----")
    return [i for i in range(end) if sig[i : i + 1] != b"\n"]


@needs_ssh_keygen
def test_one_byte_changed_in_the_signature_fails_both_verifiers(signed: SignedFiles):
    rng = random.Random(7)
    md, sig = signed.md.read_bytes(), signed.sig.read_bytes()
    changed = signed.sig.with_name("changed.md.sig")
    mutations = _mutations(sig, _sample(rng, _data_positions(sig)))
    assert len(mutations) >= 60
    for kind, pos, mutated in mutations:
        changed.write_bytes(mutated)
        assert ssh_keygen_verify(signed, sig=changed) != 0, (kind, pos, sig[pos : pos + 1])
        assert not _ours(signed, md, mutated), (kind, pos)


@needs_ssh_keygen
def test_ours_also_refuses_the_whitespace_and_trailer_edits_ssh_keygen_ignores(signed):
    md, sig = signed.md.read_bytes(), signed.sig.read_bytes()
    breaks = [i for i in range(len(sig)) if sig[i : i + 1] == b"\n"]
    edits = [sig[:i] + b"\x0b" + sig[i + 1 :] for i in breaks]  # newline -> vertical tab
    edits += [sig[:i] + sig[i + 1 :] for i in breaks]  # a line break removed
    edits += [sig + b"trailing text\n", sig[:-1] + b" \n"]
    changed = signed.sig.with_name("changed.md.sig")
    changed.write_bytes(edits[1])  # a line break inside the base64 body
    assert ssh_keygen_verify(signed, sig=changed) == 0  # the documented leniency of OpenSSH
    for mutated in edits:
        assert not _ours(signed, md, mutated)


@needs_ssh_keygen
def test_a_signature_made_by_ssh_keygen_verifies_with_ours(tmp_path: Path):
    key_path = tmp_path / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(key_path)], check=True
    )
    message = tmp_path / "review.md"
    message.write_bytes(MESSAGE)
    subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-f", str(key_path), "-n", "reviewapp", str(message)],
        check=True,
        capture_output=True,
    )
    armoured = (tmp_path / "review.md.sig").read_bytes()
    public = key_path.with_suffix(".pub").read_text()
    result = sshsig.verify(MESSAGE, armoured, [(PRINCIPAL, public)])
    assert result.principal == PRINCIPAL
    assert result.fingerprint == sshsig.fingerprint(sshsig.parse_public_key(public))
    with pytest.raises(VerificationFailed, match="changed after signing"):
        sshsig.verify(MESSAGE + b" ", armoured, [(PRINCIPAL, public)])


@needs_ssh_keygen
def test_a_key_made_by_ssh_keygen_loads_and_signs_for_ssh_keygen(tmp_path: Path, signed):
    key_path = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key_path)], check=True)
    key = sshsig.private_key_from_text(key_path.read_text())
    signed.sig.write_text(sshsig.sign(MESSAGE, key))
    line = allowed_signers.signer_line(PRINCIPAL, key_path.with_suffix(".pub").read_text())
    signed.allowed_signers.write_text(line + "\n")
    assert ssh_keygen_verify(signed) == 0


def test_another_namespace_or_an_unknown_key_is_refused(key):
    stranger = sshsig.new_private_key()
    allowed = [(PRINCIPAL, sshsig.public_key_line(key.public_key()))]
    with pytest.raises(VerificationFailed, match="namespace 'git', not 'reviewapp'"):
        sshsig.verify(MESSAGE, sshsig.sign(MESSAGE, key, namespace="git"), allowed)
    with pytest.raises(VerificationFailed, match="not among the known signers") as info:
        sshsig.verify(MESSAGE, sshsig.sign(MESSAGE, stranger), allowed)
    assert sshsig.fingerprint(stranger.public_key()) in str(info.value)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"hello",
        b"-----BEGIN SSH SIGNATURE-----\n!!!\n-----END SSH SIGNATURE-----\n",
        "ü".encode(),
        b"-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
    ],
)
def test_a_damaged_signature_file_gets_a_clear_message(key, garbage):
    allowed = [(PRINCIPAL, key.public_key())]
    with pytest.raises(VerificationFailed, match="damaged or not an SSH signature"):
        sshsig.verify(MESSAGE, garbage, allowed)


def test_the_private_key_round_trips_through_its_text_form(key):
    text = sshsig.private_key_to_text(key)
    assert text.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    again = sshsig.private_key_from_text(text)
    assert sshsig.fingerprint(again.public_key()) == sshsig.fingerprint(key.public_key())
    with pytest.raises(ValueError):
        sshsig.private_key_from_text("not a key")


def test_public_key_lines_are_checked():
    with pytest.raises(BadInput, match="not an ssh-ed25519 public key"):
        sshsig.parse_public_key("ssh-rsa AAAAB3NzaC1yc2E")
    with pytest.raises(BadInput, match="damaged"):
        sshsig.parse_public_key("ssh-ed25519 AAAA!!")


def test_allowed_signers_lines_are_parsed_like_openssh_does(key):
    line = sshsig.public_key_line(key.public_key())
    text = "\n".join(
        [
            "# the newsroom's signers",
            "",
            f'ada@example.org namespaces="reviewapp" {line} Ada',
            f'"Bo Writer",bo@example.org namespaces="git,reviewapp" {line}',
            f'git-only@example.org namespaces="git" {line}',
            f"any@example.org {line}",
            f"ca@example.org cert-authority {line}",
            "rsa@example.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQAB",
        ]
    )
    entries = allowed_signers.parse(text)
    assert len(entries) == 6
    usable = allowed_signers.usable_keys(entries)
    assert [p for p, _ in usable] == [
        "ada@example.org",
        '"Bo Writer",bo@example.org',
        "any@example.org",
    ]
    with pytest.raises(BadInput, match="line 2: no key type"):
        allowed_signers.parse(f'# ok\nada@example.org namespaces="reviewapp" {line.split()[1]}')
    with pytest.raises(BadInput, match="unknown option"):
        allowed_signers.parse(f"ada@example.org bogus=1 {line}")


@needs_ssh_keygen
def test_a_signer_without_email_is_quoted_so_ssh_keygen_reads_the_name(tmp_path, signed, key):
    line = allowed_signers.signer_line("Ada Editor", sshsig.public_key_line(key.public_key()))
    assert line.startswith('"Ada Editor" namespaces="reviewapp" ssh-ed25519 ')
    signed.allowed_signers.write_text(line + "\n")
    signed.principal = "Ada Editor"
    assert ssh_keygen_verify(signed) == 0
    with pytest.raises(BadInput, match="double quote"):
        allowed_signers.signer_line('Ada "the" Editor', "ssh-ed25519 AAAA")
