"""No keyring at the first sign-off: the message names what to install for this desktop,
with this distribution's command (GNOME Keyring, KWallet's Secret Service, KeePassXC)."""

from __future__ import annotations

import pytest

from reviewapp.core.errors import SigningUnavailable
from reviewapp.core.system_packages import keyring_advice, this_distro
from reviewapp.secrets import SERVICE, KeyringSecretStore, keyring_store
from tests.conftest import ROOT

OS_RELEASE = ROOT / "tests" / "fixtures" / "os-release"


def distro(name: str):
    return this_distro([OS_RELEASE / name])


@pytest.mark.parametrize(
    ("desktop", "first"),
    [
        ("GNOME", "install and unlock GNOME Keyring (sudo apt install gnome-keyring, then log"),
        ("ubuntu:GNOME", "install and unlock GNOME Keyring (sudo apt install gnome-keyring"),
        ("X-Cinnamon", "install and unlock GNOME Keyring (sudo apt install gnome-keyring"),
        ("XFCE", "install and unlock GNOME Keyring (sudo apt install gnome-keyring"),
        (
            "KDE",
            "set up KWallet with its Secret Service turned on (System Settings › KDE Wallet; "
            "sudo apt install kwalletmanager)",
        ),
        ("", "install and unlock a Secret Service: GNOME Keyring (sudo apt install gnome-keyring"),
        ("Hyprland", "install and unlock a Secret Service: GNOME Keyring"),
    ],
)
def test_each_desktop_is_told_its_own_keyring_first(desktop, first):
    advice = keyring_advice(desktop, distro("debian-12"))
    assert advice.startswith(first)
    # KeePassXC is always offered: it works on any desktop.
    assert (
        "KeePassXC with its Secret Service integration turned on (sudo apt install keepassxc)"
        in (advice)
    )
    kwallet_named = "KWallet" in advice
    assert kwallet_named == (desktop in ("KDE", "", "Hyprland"))


@pytest.mark.parametrize(
    ("fixture", "command"),
    [
        ("fedora-41", "sudo dnf install gnome-keyring"),
        ("arch", "sudo pacman -S gnome-keyring"),
        ("opensuse-tumbleweed", "sudo zypper install gnome-keyring"),
        ("ubuntu-24.04", "sudo apt install gnome-keyring"),
    ],
)
def test_the_install_command_is_the_distributions(fixture, command):
    assert f"GNOME Keyring ({command}, then log out and in again)" in keyring_advice(
        "GNOME", distro(fixture)
    )


def test_an_unknown_distribution_gets_package_names():
    advice = keyring_advice("GNOME", distro("unknown"))
    assert "GNOME Keyring (package gnome-keyring, then log out and in again)" in advice
    assert "(package keepassxc)" in advice


def test_signing_without_a_keyring_on_kde_names_kwallet_with_the_command(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    monkeypatch.setattr(keyring_store, "this_distro", lambda: distro("fedora-41"))
    with pytest.raises(SigningUnavailable) as info:
        KeyringSecretStore().get(SERVICE, "ada@example.org")
    message = str(info.value)
    assert message.startswith(
        "no system keyring is available (keyring backend: fail.Keyring); set up KWallet with its "
        "Secret Service turned on (System Settings › KDE Wallet; sudo dnf install kwalletmanager)"
    )
    assert "sudo dnf install keepassxc" in message
    assert message.endswith("; or set PYTHON_KEYRING_BACKEND to a secure backend")
    assert "\n" not in message
