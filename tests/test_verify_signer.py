"""`verify` names the owner of the key that signed, never whom the file says signed it."""

from __future__ import annotations

import pytest

from tests.test_verify_matrix import A, B, make_file, run_cli, ssh_keygen, world  # noqa: F401


def _allowed(tmp_path, text: str):
    path = tmp_path / "allowed_signers"
    path.write_text(text)
    return path


def test_a_file_naming_b_but_signed_with_a_s_key_is_refused_and_names_a(world, tmp_path):  # noqa: F811
    md, _ = make_file(world, "A", "B", tmp_path)
    code, out, err = run_cli("verify", md, db=world.libraries["A"])
    assert (code, out) == (1, "")
    assert err == (
        f"reviewapp: the file names {B.name} <{B.email}> as reviewer, but it was signed by key "
        f"{world.fingerprint('A')}, which belongs to {A.name} <{A.email}>\n"
    )


def test_the_same_forgery_against_an_allowed_signers_line_for_a_names_a(world, tmp_path):  # noqa: F811
    md, _ = make_file(world, "A", "B", tmp_path)
    allowed = _allowed(tmp_path, f'{A.email} namespaces="reviewapp" {world.lines["A"]}\n')
    code, _, err = run_cli("verify", md, "--allowed-signers", allowed, db=tmp_path / "x.db")
    assert code == 1
    assert f"signed by key {world.fingerprint('A')}, which belongs to {A.email}" in err


def test_a_file_that_names_no_reviewer_is_refused_saying_who_signed(world, tmp_path):  # noqa: F811
    md, _ = make_file(world, "A", "nobody", tmp_path)
    code, _, err = run_cli("verify", md, db=world.libraries["A"])
    assert code == 1
    assert f"the file names no reviewer, but it was signed by key {world.fingerprint('A')}" in err
    assert f"which belongs to {A.name} <{A.email}>" in err


def _resign(world, md, markdown: bytes, signer: str = "A"):  # noqa: F811
    from reviewapp.signing import sshsig

    md.write_bytes(markdown)
    md.with_name(md.name + ".sig").write_text(sshsig.sign(markdown, world.keys[signer]))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"Signed off by Editor A (a@example.org)", b"Signed off by Editor B (b@example.org)"),
        (b"- **Reviewer:** Editor A (a@example.org)", b"- **Reviewer:** Editor B (b@example.org)"),
        (b"## Sign-off\n", b"## Signature\n"),
    ],
)
def test_a_sign_off_section_that_disagrees_with_the_front_matter_is_refused(
    world,  # noqa: F811
    tmp_path,
    old,
    new,
):
    md, _ = make_file(world, "A", "A", tmp_path)
    markdown = md.read_bytes()
    assert old in markdown
    _resign(world, md, markdown.replace(old, new))
    code, _, err = run_cli("verify", md, db=world.libraries["A"])
    assert code == 1
    assert "sign-off section" in err


def test_the_database_refuses_a_file_that_gives_the_key_owner_another_name(world, tmp_path):  # noqa: F811
    """ssh-keygen only knows the email; the database knows the name the key is trusted for."""
    md, _ = make_file(world, "A", "A", tmp_path)
    _resign(world, md, md.read_bytes().replace(b"Editor A", b"Editor Z"))
    code, _, err = run_cli("verify", md, db=world.libraries["A"])
    assert code == 1
    assert f"names Editor Z <{A.email}> as reviewer" in err and "belongs to Editor A" in err


def test_a_key_the_database_does_not_trust_is_named_in_the_refusal(world, tmp_path):  # noqa: F811
    md, _ = make_file(world, "B", "B", tmp_path)
    code, _, err = run_cli("verify", md, db=world.libraries["A"])
    assert code == 1
    assert f"signed with key {world.fingerprint('B')}, which is not among the known signers" in err
    assert "reviewapp key trust" in err


def test_principal_patterns_and_validity_are_read_as_openssh_reads_them():
    from reviewapp.signing.allowed_signers import match_pattern_list, parse_line

    assert match_pattern_list("a@example.org", "*@example.org")
    assert not match_pattern_list("b@example.org", "*@example.org,!b@*")
    assert match_pattern_list("ab", "a?") and not match_pattern_list("abc", "a?")
    assert not match_pattern_list("A@example.org", "a@example.org")  # case-sensitive
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0c5cIU7DGYb4ZbG4fH2fZlnb0x8g2GwDZnmR1dXc+r"
    entry = parse_line(f'a@x valid-after="20260101Z",valid-before="20261231235959Z" {key}')
    assert entry is not None
    assert entry.valid_at(1780000000) and not entry.valid_at(1700000000)
    with pytest.raises(ValueError, match="not a time"):
        parse_line(f'a@x valid-after="yesterday" {key}')
