"""Which system package provides a library or a keyring, and how to install it here.

The distribution comes from ``/etc/os-release`` (its ID and ID_LIKE), the desktop from
``XDG_CURRENT_DESKTOP``. Standard library only and cheap: the display preflight runs it before
Qt starts, and the keyring's "nothing to keep the key in" message runs it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

OS_RELEASE_FILES = (Path("/etc/os-release"), Path("/usr/lib/os-release"))

# family -> the command that installs packages there
INSTALL_COMMANDS = {
    "debian": "sudo apt install",
    "fedora": "sudo dnf install",
    "arch": "sudo pacman -S",
    "opensuse": "sudo zypper install",
}
FAMILIES = tuple(INSTALL_COMMANDS)

# soname -> its package on (debian, fedora, arch, opensuse). Debian's names are Ubuntu's too.
LIBRARY_PACKAGES: dict[str, tuple[str, str, str, str]] = {
    "libxcb-cursor.so.0": (
        "libxcb-cursor0",
        "xcb-util-cursor",
        "xcb-util-cursor",
        "libxcb-cursor0",
    ),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util", "libxcb-util1"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image", "libxcb-image0"),
    "libxcb-keysyms.so.1": (
        "libxcb-keysyms1",
        "xcb-util-keysyms",
        "xcb-util-keysyms",
        "libxcb-keysyms1",
    ),
    "libxcb-render-util.so.0": (
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
        "libxcb-render-util0",
    ),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb", "libxcb-randr0"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb", "libxcb-render0"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb", "libxcb-shape0"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb", "libxcb-shm0"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb", "libxcb-sync1"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb", "libxcb-xfixes0"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb", "libxcb-xkb1"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb", "libxcb1"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11", "libX11-xcb1"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11", "libX11-6"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon", "libxkbcommon0"),
    "libxkbcommon-x11.so.0": (
        "libxkbcommon-x11-0",
        "libxkbcommon-x11",
        "libxkbcommon-x11",
        "libxkbcommon-x11-0",
    ),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd", "libGL1"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libglib-2_0-0"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libgthread-2_0-0"),
    "libwayland-client.so.0": (
        "libwayland-client0",
        "libwayland-client",
        "wayland",
        "libwayland-client0",
    ),
    "libwayland-cursor.so.0": (
        "libwayland-cursor0",
        "libwayland-cursor",
        "wayland",
        "libwayland-cursor0",
    ),
}

# The Secret Service providers an editor can install (same package name everywhere).
GNOME_KEYRING, KWALLET, KEEPASSXC = "gnome-keyring", "kwalletmanager", "keepassxc"
# Desktops that come with GNOME Keyring or use it (XDG_CURRENT_DESKTOP names, upper case).
_GNOME_KEYRING_DESKTOPS = frozenset(
    {"GNOME", "UNITY", "X-CINNAMON", "CINNAMON", "MATE", "XFCE", "BUDGIE", "PANTHEON", "LXDE"}
)


@dataclass(frozen=True)
class Distro:
    """The running distribution as os-release names it, and its packaging family."""

    id: str
    name: str
    family: str  # one of FAMILIES, or "" when not known

    def install(self, packages: Iterable[str]) -> str:
        """The command that installs packages here ('' when the family is not known)."""
        names = list(dict.fromkeys(packages))
        if not self.family or not names:
            return ""
        return f"{INSTALL_COMMANDS[self.family]} {' '.join(names)}"

    def packages_for(self, sonames: Iterable[str]) -> list[str]:
        """The packages that provide these libraries here, each once, in order."""
        if not self.family:
            return []
        column = FAMILIES.index(self.family)
        found = (LIBRARY_PACKAGES[name][column] for name in sonames if name in LIBRARY_PACKAGES)
        return list(dict.fromkeys(found))


def parse_os_release(text: str) -> dict[str, str]:
    """The KEY=value lines of an os-release file, values unquoted as a shell would."""
    fields = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        fields[key.strip()] = _unquote(value.strip())
    return fields


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == "'":
            return inner
        out, escaped = [], False
        for char in inner:
            if escaped or char != "\\":
                out.append(char)
                escaped = False
            else:
                escaped = True
        return "".join(out)
    return value


def family_of(fields: Mapping[str, str]) -> str:
    """The packaging family of an os-release: ID first, then each ID_LIKE in order."""
    for token in [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]:
        token = token.lower()
        if token in ("debian", "ubuntu"):
            return "debian"
        if token in ("fedora", "rhel", "centos"):
            return "fedora"
        if token == "arch":
            return "arch"
        if token.startswith("opensuse") or token in ("suse", "sles"):
            return "opensuse"
    return ""


def distro_from(fields: Mapping[str, str]) -> Distro:
    ident = fields.get("ID", "").lower()
    name = fields.get("PRETTY_NAME") or fields.get("NAME") or ident or "this system"
    return Distro(ident, name, family_of(fields))


def this_distro(files: Iterable[Path] = OS_RELEASE_FILES) -> Distro:
    """The distribution this process runs on (an unknown one when os-release is missing)."""
    for path in files:
        try:
            return distro_from(parse_os_release(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return Distro("", "this system", "")


def _how(distro: Distro, package: str) -> str:
    command = distro.install([package])
    return command or f"package {package}"


def keyring_advice(desktop: str, distro: Distro) -> str:
    """What to install (or turn on) so this desktop has a Secret Service for the key.

    desktop is XDG_CURRENT_DESKTOP (colon-separated names, e.g. "ubuntu:GNOME").
    """
    names = {part.strip().upper() for part in desktop.split(":") if part.strip()}
    keepassxc = (
        f"KeePassXC with its Secret Service integration turned on ({_how(distro, KEEPASSXC)})"
    )
    gnome = f"GNOME Keyring ({_how(distro, GNOME_KEYRING)}, then log out and in again)"
    kwallet = (
        f"KWallet with its Secret Service turned on (System Settings › KDE Wallet; "
        f"{_how(distro, KWALLET)})"
    )
    if "KDE" in names:
        return f"set up {kwallet}, or {keepassxc}"
    if names & _GNOME_KEYRING_DESKTOPS:
        return f"install and unlock {gnome}, or {keepassxc}"
    return f"install and unlock a Secret Service: {gnome}, {kwallet} or {keepassxc}"
