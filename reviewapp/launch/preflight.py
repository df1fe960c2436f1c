"""Before the first Qt call: can a window open here? If not, one line that says what to do.

Without this, Qt aborts the process (a core dump, exit 134) when it has no display or when its
X11 plugin lacks a system library, with a message that suggests reinstalling. The preflight
decides from the environment and the dynamic loader's cache, in a few milliseconds and without
importing Qt:

- ``QT_QPA_PLATFORM`` given: the caller chose (offscreen, xcb, ...); nothing is checked.
- Wayland (``WAYLAND_DISPLAY``): its plugin is preferred when it can load (X11 stays the
  fallback when ``DISPLAY`` is set too); if it cannot, X11 is tried.
- X11 (``DISPLAY``): every library Qt's xcb plugin links must be installed; the missing ones
  are named with the command that installs them on this distribution.
- Neither: "no display".

Linux only: elsewhere Qt's own platform is always there.
"""

from __future__ import annotations

import importlib.util
import os
import struct
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.system_packages import Distro, this_distro

# What Qt's xcb platform plugin (libqxcb.so and libQt6XcbQpa.so.6 of PySide6 6.9-6.11) links
# from the system: their DT_NEEDED entries, less Qt's own libraries and the C/C++ runtime.
# tests/test_preflight.py reads the installed plugin and fails when this list is out of date.
XCB_LIBRARIES = (
    "libxcb-cursor.so.0",  # first: Qt 6.5+ needs it and many desktops do not install it
    "libxcb-icccm.so.4",
    "libxcb-util.so.1",
    "libxcb-image.so.0",
    "libxcb-keysyms.so.1",
    "libxcb-randr.so.0",
    "libxcb-render-util.so.0",
    "libxcb-render.so.0",
    "libxcb-shape.so.0",
    "libxcb-shm.so.0",
    "libxcb-sync.so.1",
    "libxcb-xfixes.so.0",
    "libxcb-xkb.so.1",
    "libxcb.so.1",
    "libX11-xcb.so.1",
    "libX11.so.6",
    "libxkbcommon.so.0",
    "libxkbcommon-x11.so.0",
    "libGL.so.1",
    "libglib-2.0.so.0",
    "libgthread-2.0.so.0",
)
# The same for the wayland plugin (libqwayland.so and libQt6WaylandClient.so.6).
WAYLAND_LIBRARIES = (
    "libwayland-client.so.0",
    "libwayland-cursor.so.0",
    "libxkbcommon.so.0",
    "libGL.so.1",
)
C_LIBRARY = "libc.so.6"  # every glibc system has it: a finder that misses it cannot see
NO_DISPLAY = (
    "reviewapp: no display: run reviewapp from a desktop session, or use the command line: "
    "reviewapp --help"
)
_COMMANDS_WORK = "the command line works meanwhile: reviewapp --help"

LibraryFinder = Callable[[str], bool]  # soname -> would the dynamic loader find it?
PluginFinder = Callable[[str], bool]  # platform plugin name -> does this Qt ship it?


@dataclass(frozen=True)
class Preflight:
    """What the preflight decided: the platform to ask Qt for, or why no window can open."""

    platform: str | None  # the QT_QPA_PLATFORM to set; None leaves Qt's own choice
    problem: str  # one line for stderr; '' when the window can open
    detail: str  # what was found, for --self-test
    missing: tuple[str, ...] = ()  # what this machine lacks for the window (libraries, plugin)

    @property
    def ok(self) -> bool:
        return not self.problem


def check(
    env: Mapping[str, str],
    has_library: LibraryFinder,
    has_plugin: PluginFinder,
    distro: Callable[[], Distro] = this_distro,
    system: str = sys.platform,
) -> Preflight:
    """Decide, from env and the finders, how Qt should start (nothing is changed here)."""
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return Preflight(None, "", f"QT_QPA_PLATFORM={chosen} given: not checked")
    if not system.startswith("linux"):
        return Preflight(None, "", f"{system}: Qt's own platform")
    x11, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    if not x11 and not wayland:
        return Preflight(None, NO_DISPLAY, "no display (neither DISPLAY nor WAYLAND_DISPLAY set)")
    if not has_library(C_LIBRARY):
        # A loader this finder cannot read (musl, NixOS): refusing on its word would keep a
        # working Qt from starting, so Qt decides.
        return Preflight(None, "", "the system's libraries cannot be listed here: not checked")
    xcb_missing = _missing(XCB_LIBRARIES, has_library) if x11 else []
    if wayland:
        wayland_missing = _missing(WAYLAND_LIBRARIES, has_library)
        plugin = has_plugin("wayland")
        if plugin and not wayland_missing:
            with_x11 = bool(x11) and not xcb_missing
            fallback = " (X11 as the fallback)" if with_x11 else ""
            return Preflight(
                "wayland;xcb" if with_x11 else "wayland",
                "",
                f"Wayland display {wayland}{fallback}",
            )
        if not x11:
            if not plugin:
                line = (
                    "reviewapp: the window cannot open: this installation's Qt has no Wayland "
                    f"plugin and DISPLAY is not set (X11 would need it; {_COMMANDS_WORK})"
                )
                return Preflight(None, line, line.removeprefix("reviewapp: "), ("wayland plugin",))
            return _cannot_open("Qt's Wayland plugin needs", wayland_missing, distro())
        if xcb_missing:
            both = list(dict.fromkeys([*wayland_missing, *xcb_missing]))
            what = "Qt's Wayland and X11 plugins need" if plugin else "Qt's X11 plugin needs"
            return _cannot_open(what, both, distro())
        why = "no wayland plugin" if not plugin else f"missing {', '.join(wayland_missing)}"
        return Preflight("xcb", "", f"X11 display {x11} (Wayland {wayland} cannot be used: {why})")
    if xcb_missing:
        return _cannot_open("Qt's X11 plugin needs", xcb_missing, distro())
    return Preflight(None, "", f"X11 display {x11}, every library of Qt's xcb plugin found")


def _missing(sonames: Iterable[str], has_library: LibraryFinder) -> list[str]:
    return [name for name in sonames if not has_library(name)]


def _cannot_open(what: str, missing: list[str], distro: Distro) -> Preflight:
    them = "it" if len(missing) == 1 else "them"
    command = distro.install(distro.packages_for(missing))
    how = (
        f"install {them} with: {command}"
        if command
        else f"install the packages that provide {them} with {distro.name}'s package manager"
    )
    verb = "is" if len(missing) == 1 else "are"
    line = (
        f"reviewapp: the window cannot open: {what} {', '.join(missing)}, which {verb} not "
        f"installed; {how} ({_COMMANDS_WORK})"
    )
    return Preflight(None, line, line.removeprefix("reviewapp: "), tuple(missing))


# ---------------------------------------------------------------------- finding libraries
class SystemLibraries:
    """Whether the dynamic loader would find a library, without loading it.

    Looks where the loader looks: ``LD_LIBRARY_PATH``, then ``/etc/ld.so.cache`` (read once);
    without a cache, the usual library folders. A library counts only if its ELF class and
    machine are this process's (a 32-bit copy does not help a 64-bit Qt).
    """

    CACHE = Path("/etc/ld.so.cache")
    _MAGIC = b"glibc-ld.so.cache1.1"
    _HEADER, _ENTRY = 48, 24  # sizes of glibc's cache_file_new and file_entry_new

    def __init__(
        self,
        env: Mapping[str, str] = os.environ,
        cache: Path = CACHE,
        extra_dirs: Iterable[str] = (),
    ):
        paths = env.get("LD_LIBRARY_PATH", "").split(":")
        self.dirs = [d for d in (*paths, *extra_dirs) if d]
        self.cache = cache
        self._cached: dict[str, list[str]] | None = None
        self._own = _elf_kind(sys.executable) or _elf_kind("/proc/self/exe")

    def __call__(self, soname: str) -> bool:
        return self.path(soname) is not None

    def path(self, soname: str) -> str | None:
        """The file the loader would take for soname, or None."""
        candidates = [os.path.join(d, soname) for d in self.dirs]
        cached = self._cache_entries()
        if cached is None:
            candidates += [os.path.join(d, soname) for d in _default_dirs()]
        else:
            candidates += cached.get(soname, [])
        return next((path for path in candidates if self._usable(path)), None)

    def _usable(self, path: str) -> bool:
        kind = _elf_kind(path)
        return kind is not None and (self._own is None or kind == self._own)

    def _cache_entries(self) -> dict[str, list[str]] | None:
        """The cache's soname -> paths; None when there is no cache in a format known here."""
        if self._cached is None:
            try:
                data = self.cache.read_bytes()
            except OSError:
                return None
            self._cached = self._parse(data)
        return self._cached or None

    @classmethod
    def _parse(cls, data: bytes) -> dict[str, list[str]]:
        """soname -> paths, from glibc's ld.so.cache (new format; offsets from its header)."""
        start = data.find(cls._MAGIC)
        if start < 0:
            return {}
        (count,) = struct.unpack_from("=I", data, start + len(cls._MAGIC))
        entries: dict[str, list[str]] = {}
        offset = start + cls._HEADER
        for _ in range(count):
            if offset + cls._ENTRY > len(data):
                break
            _flags, key, value = struct.unpack_from("=iII", data, offset)
            offset += cls._ENTRY
            name, path = _string(data, start + key), _string(data, start + value)
            if name and path:
                entries.setdefault(name, []).append(path)
        return entries


def _string(data: bytes, at: int) -> str:
    end = data.find(b"\0", at)
    if at >= len(data) or end < 0:
        return ""
    return data[at:end].decode("utf-8", "replace")


def _elf_kind(path: str) -> bytes | None:
    """An ELF file's class, byte order and machine (None when it is not a readable ELF)."""
    try:
        with open(path, "rb") as file:
            head = file.read(20)
    except OSError:
        return None
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return None
    return head[4:6] + head[18:20]


def _default_dirs() -> list[str]:
    multiarch = getattr(sys.implementation, "_multiarch", "")
    dirs = ["/lib64", "/usr/lib64", "/lib", "/usr/lib"]
    if multiarch:
        dirs = [f"/lib/{multiarch}", f"/usr/lib/{multiarch}", *dirs]
    return dirs


def qt_plugins(name: str) -> bool:
    """Whether the installed PySide6 ships the platform plugin ``libq{name}.so``.

    Found without importing PySide6; when its folder cannot be located (an unusual layout), the
    plugin is taken to be there and Qt itself decides.
    """
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return True
    for folder in spec.submodule_search_locations:
        platforms = Path(folder, "Qt", "plugins", "platforms")
        if platforms.is_dir():
            return (platforms / f"libq{name}.so").is_file()
    return True


def _bundle_dirs() -> list[str]:
    """The frozen app's own folder: PyInstaller copies the system libraries it found there."""
    bundle = getattr(sys, "_MEIPASS", None)
    return [bundle] if getattr(sys, "frozen", False) and bundle else []


def preflight(env: MutableMapping[str, str] = os.environ) -> Preflight:
    """Check this machine; when the window can open, set the platform Qt should use in env."""
    result = check(env, SystemLibraries(env, extra_dirs=_bundle_dirs()), qt_plugins)
    if result.ok and result.platform:
        env["QT_QPA_PLATFORM"] = result.platform
    return result


def display_report(env: Mapping[str, str] = os.environ) -> tuple[bool, str]:
    """For --self-test: (False when this machine lacks something the window needs, what was
    found). No display is not a fault of the installation; a missing library is."""
    finder = SystemLibraries(env, extra_dirs=_bundle_dirs())
    chosen = env.get("QT_QPA_PLATFORM", "")
    bare = {key: value for key, value in env.items() if key != "QT_QPA_PLATFORM"}
    result = check(bare, finder, qt_plugins)
    detail = result.detail
    if chosen:
        detail = f"QT_QPA_PLATFORM={chosen} given; without it: {detail}"
    return not result.missing, detail
