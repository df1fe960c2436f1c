"""The preflight before the first Qt call: no display, a missing xcb library, Wayland, a
given platform; each decision and its message, the library finder, and the real processes
(``reviewapp``, the frozen app's entry script, ``make run``) with no display."""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from reviewapp.core.system_packages import LIBRARY_PACKAGES, Distro, distro_from, parse_os_release
from reviewapp.launch import preflight as pf
from reviewapp.launch.preflight import (
    NO_DISPLAY,
    WAYLAND_LIBRARIES,
    XCB_LIBRARIES,
    SystemLibraries,
    check,
)
from tests.conftest import ROOT

OS_RELEASE = ROOT / "tests" / "fixtures" / "os-release"
DEBIAN = Distro("debian", "Debian GNU/Linux 12 (bookworm)", "debian")
FEDORA = Distro("fedora", "Fedora Linux 41", "fedora")
UNKNOWN = Distro("nebula", "Nebula OS 3", "")
COMMANDS_WORK = "(the command line works meanwhile: reviewapp --help)"


def libraries_but(*missing: str):
    """An injected finder: every library is installed except these."""
    return lambda soname: soname not in missing


def every_library(soname: str) -> bool:
    return True


def plugins(*present: str):
    return lambda name: name in present


ANY_PLUGIN = plugins("wayland", "xcb")


def decide(env, has_library=every_library, has_plugin=ANY_PLUGIN, distro=DEBIAN):
    return check(env, has_library, has_plugin, distro=lambda: distro, system="linux")


# ---------------------------------------------------------------------- the decisions
X11 = {"DISPLAY": ":0"}
WAYLAND = {"WAYLAND_DISPLAY": "wayland-0"}
BOTH = {**X11, **WAYLAND}


@pytest.mark.parametrize(
    ("env", "has_library", "has_plugin", "platform", "detail"),
    [
        (X11, every_library, plugins("wayland"), None, "X11 display :0, every library"),
        (WAYLAND, every_library, plugins("wayland"), "wayland", "Wayland display wayland-0"),
        (BOTH, every_library, plugins("wayland"), "wayland;xcb", "(X11 as the fallback)"),
        # Wayland cannot load: X11 (XWayland) takes over.
        (BOTH, libraries_but("libwayland-cursor.so.0"), plugins("wayland"), "xcb", "missing"),
        (BOTH, every_library, plugins(), "xcb", "no wayland plugin"),
        # Wayland loads but an xcb library is missing: Wayland alone, no broken fallback.
        (BOTH, libraries_but("libxcb-cursor.so.0"), plugins("wayland"), "wayland", "wayland-0"),
        # A platform given is the caller's choice, even with no display at all.
        ({"QT_QPA_PLATFORM": "offscreen"}, every_library, plugins(), None, "not checked"),
        ({"QT_QPA_PLATFORM": "xcb", **X11}, libraries_but(*XCB_LIBRARIES), plugins(), None, ""),
    ],
)
def test_a_window_can_open_and_the_platform_is_chosen(
    env, has_library, has_plugin, platform, detail
):
    result = decide(env, has_library, has_plugin)
    assert result.ok and result.problem == "" and result.missing == ()
    assert result.platform == platform
    assert detail in result.detail


@pytest.mark.parametrize(
    "env", [{}, {"DISPLAY": ""}, {"WAYLAND_DISPLAY": "", "XDG_SESSION_TYPE": "x11"}]
)
def test_no_display_is_one_line_that_points_at_the_command_line(env):
    result = decide(env)
    assert not result.ok and result.platform is None
    assert result.problem == (
        "reviewapp: no display: run reviewapp from a desktop session, or use the command line: "
        "reviewapp --help"
    )
    assert result.missing == ()  # not the installation's fault: the self-test does not fail


def test_a_missing_xcb_cursor_library_is_named_with_the_apt_command():
    result = decide(X11, libraries_but("libxcb-cursor.so.0"))
    assert result.problem == (
        "reviewapp: the window cannot open: Qt's X11 plugin needs libxcb-cursor.so.0, which is "
        "not installed; install it with: sudo apt install libxcb-cursor0 " + COMMANDS_WORK
    )
    assert result.missing == ("libxcb-cursor.so.0",)
    assert "\n" not in result.problem


def test_several_missing_libraries_give_one_command_with_each_package_once():
    missing = ("libxcb-cursor.so.0", "libxcb-randr.so.0", "libxcb-shm.so.0", "libxcb-icccm.so.4")
    result = decide(X11, libraries_but(*missing), distro=FEDORA)
    assert "needs libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-randr.so.0, libxcb-shm.so.0, " in (
        result.problem
    )
    # libxcb-randr and libxcb-shm both come with Fedora's libxcb: named once.
    assert "which are not installed; install them with: sudo dnf install xcb-util-cursor " in (
        result.problem
    )
    assert result.problem.endswith(
        "sudo dnf install xcb-util-cursor xcb-util-wm libxcb " + COMMANDS_WORK
    )


def test_on_an_unknown_distribution_the_message_says_what_to_look_for():
    result = decide(X11, libraries_but("libxcb-cursor.so.0"), distro=UNKNOWN)
    assert "Qt's X11 plugin needs libxcb-cursor.so.0" in result.problem
    assert "install the packages that provide it with Nebula OS 3's package manager" in (
        result.problem
    )


def test_wayland_alone_with_a_missing_library_names_it():
    result = decide(WAYLAND, libraries_but("libwayland-cursor.so.0"))
    assert result.problem.startswith(
        "reviewapp: the window cannot open: Qt's Wayland plugin needs libwayland-cursor.so.0, "
        "which is not installed; install it with: sudo apt install libwayland-cursor0 "
    )


def test_wayland_and_x11_both_unusable_names_every_missing_library():
    result = decide(BOTH, libraries_but("libwayland-client.so.0", "libxcb-cursor.so.0"))
    assert "Qt's Wayland and X11 plugins need libwayland-client.so.0, libxcb-cursor.so.0," in (
        result.problem
    )
    assert "sudo apt install libwayland-client0 libxcb-cursor0 " in result.problem


def test_wayland_without_its_plugin_and_without_x11_is_refused_in_one_line():
    result = decide(WAYLAND, has_plugin=plugins())
    assert result.problem.startswith(
        "reviewapp: the window cannot open: this installation's Qt has no Wayland plugin"
    )
    assert result.missing == ("wayland plugin",)


def test_a_finder_that_cannot_see_the_c_library_decides_nothing():
    """On a loader the finder cannot read (musl, NixOS) a working Qt must not be refused."""
    result = decide(X11, has_library=lambda soname: False)
    assert result.ok and result.platform is None
    assert result.detail == "the system's libraries cannot be listed here: not checked"
    assert not decide(X11, libraries_but("libxcb-cursor.so.0")).ok  # libc seen: it decides


def test_a_cache_in_an_unknown_format_falls_back_to_the_library_folders(tmp_path):
    cache = tmp_path / "ld.so.cache"
    cache.write_bytes(b"ld.so-1.7.0\0\0\0\0\0")  # the old format only: not read here
    assert SystemLibraries({}, cache=cache)("libc.so.6")  # found in /lib or /usr/lib


def test_other_systems_are_left_to_qt():
    assert check({}, libraries_but(*XCB_LIBRARIES), plugins(), system="darwin").ok
    assert check({}, libraries_but(*XCB_LIBRARIES), plugins(), system="win32").ok


def test_preflight_sets_the_platform_only_when_the_window_can_open(monkeypatch):
    monkeypatch.setattr(pf, "SystemLibraries", lambda *args, **kwargs: every_library)
    monkeypatch.setattr(pf, "qt_plugins", plugins("wayland"))
    monkeypatch.setattr(pf.sys, "platform", "linux")
    env = dict(BOTH)
    assert pf.preflight(env).ok
    assert env["QT_QPA_PLATFORM"] == "wayland;xcb"
    env = {}
    assert pf.preflight(env).problem == NO_DISPLAY
    assert "QT_QPA_PLATFORM" not in env


def test_the_self_test_report_looks_past_a_given_platform(monkeypatch):
    monkeypatch.setattr(pf, "SystemLibraries", lambda *a, **k: libraries_but("libxcb-cursor.so.0"))
    monkeypatch.setattr(pf.sys, "platform", "linux")
    ok, detail = pf.display_report({"QT_QPA_PLATFORM": "offscreen", **X11})
    assert not ok
    assert detail.startswith("QT_QPA_PLATFORM=offscreen given; without it: the window cannot open")
    assert "libxcb-cursor.so.0" in detail
    ok, detail = pf.display_report({"QT_QPA_PLATFORM": "offscreen"})
    assert ok and detail.endswith(
        "without it: no display (neither DISPLAY nor WAYLAND_DISPLAY set)"
    )


# ---------------------------------------------------------------------- the library lists
def elf_needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of a 64-bit little-endian ELF file, read from its sections."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, f"{path} is not ELF64 LE"
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    needed = []
    for _name, kind, _flags, _addr, offset, size, link, *_rest in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strings = sections[link][4]
        for at in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, at)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strings + value)
                needed.append(data[strings + value : end].decode())
    return needed


RUNTIME = {
    "libc.so.6",
    "libm.so.6",
    "libstdc++.so.6",
    "libgcc_s.so.1",
    "libdl.so.2",
    "libpthread.so.0",
    "librt.so.1",
}


def system_needs(*binaries: Path) -> set[str]:
    needs = {name for binary in binaries for name in elf_needed(binary)}
    return {name for name in needs if not name.startswith("libQt6") and name not in RUNTIME}


@pytest.fixture(scope="module")
def qt_dir() -> Path:
    spec = importlib.util.find_spec("PySide6")
    assert spec is not None and spec.submodule_search_locations
    qt = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    if not (qt / "plugins" / "platforms" / "libqxcb.so").is_file():
        pytest.skip("this PySide6 has no xcb plugin (not Linux)")
    return qt


def test_the_xcb_list_is_what_the_installed_plugin_links(qt_dir):
    plugin = qt_dir / "plugins" / "platforms" / "libqxcb.so"
    assert system_needs(plugin, qt_dir / "lib" / "libQt6XcbQpa.so.6") == set(XCB_LIBRARIES)
    assert XCB_LIBRARIES[0] == "libxcb-cursor.so.0"


def test_the_wayland_list_is_what_the_installed_plugin_links(qt_dir):
    plugin = qt_dir / "plugins" / "platforms" / "libqwayland.so"
    client = qt_dir / "lib" / "libQt6WaylandClient.so.6"
    assert system_needs(plugin, client) == set(WAYLAND_LIBRARIES)


def test_the_installed_plugins_are_found_without_importing_qt(qt_dir):
    assert pf.qt_plugins("xcb") and pf.qt_plugins("wayland")
    assert not pf.qt_plugins("no-such-platform")


def test_every_library_has_a_package_on_every_family():
    for soname in {*XCB_LIBRARIES, *WAYLAND_LIBRARIES}:
        assert all(LIBRARY_PACKAGES[soname]), soname


@pytest.mark.skipif(not shutil.which("dpkg-query"), reason="not a Debian system")
def test_the_debian_column_names_the_packages_that_really_hold_the_libraries():
    finder = SystemLibraries()
    paths = {soname: finder.path(soname) for soname in {*XCB_LIBRARIES, *WAYLAND_LIBRARIES}}
    found = {soname: path for soname, path in paths.items() if path}
    if not found:
        pytest.skip("none of Qt's display libraries is installed here")
    for soname, path in found.items():
        candidates = [path, "/usr" + path if not path.startswith("/usr/") else path]
        owner = ""
        for candidate in candidates:
            result = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
            if result.returncode == 0:
                owner = result.stdout.split(":")[0]
                break
        assert owner, f"dpkg knows no package for {path}"
        # libglib2.0-0 became libglib2.0-0t64 in Debian 13 and Ubuntu 24.04 (apt takes either)
        assert owner.removesuffix("t64") == LIBRARY_PACKAGES[soname][0], soname


# ---------------------------------------------------------------------- the library finder
def _elf_like_this_process(path: Path, machine: bytes | None = None) -> Path:
    head = bytearray(Path(sys.executable).resolve().read_bytes()[:64])
    if machine is not None:
        head[18:20] = machine
    path.write_bytes(bytes(head))
    return path


def test_the_finder_agrees_with_ctypes_for_the_libraries_installed_here():
    finder = SystemLibraries()
    assert finder("libc.so.6")
    assert not finder("libreviewapp-never-installed.so.1")
    for soname in {*XCB_LIBRARIES, *WAYLAND_LIBRARIES}:
        short = soname.removeprefix("lib").split(".so")[0]
        if ctypes.util.find_library(short) == soname:
            assert finder(soname), soname


def test_the_finder_looks_in_ld_library_path_and_skips_another_machines_library(tmp_path):
    _elf_like_this_process(tmp_path / "libreviewapp-fake.so.7")
    _elf_like_this_process(tmp_path / "libreviewapp-other.so.7", machine=b"\xff\x00")
    (tmp_path / "libreviewapp-text.so.7").write_text("not a library")
    found = SystemLibraries({"LD_LIBRARY_PATH": f"/nonexistent:{tmp_path}"})
    assert found("libreviewapp-fake.so.7")
    assert not found("libreviewapp-other.so.7")
    assert not found("libreviewapp-text.so.7")
    assert not SystemLibraries({})("libreviewapp-fake.so.7")


def _ld_so_cache(entries: dict[str, str]) -> bytes:
    """A cache in glibc's new format (after an old-format header, as older ldconfig wrote)."""
    old = b"ld.so-1.7.0" + b"\0" + struct.pack("=I", 0)
    strings, offsets = b"", {}
    header = 48 + 24 * len(entries)
    for text in [*entries, *entries.values()]:
        offsets[text] = header + len(strings)
        strings += text.encode() + b"\0"
    new = b"glibc-ld.so.cache1.1" + struct.pack("=IIB3xI12x", len(entries), len(strings), 0, 0)
    for name, path in entries.items():
        new += struct.pack("=iIIIQ", 0x0303, offsets[name], offsets[path], 0, 0)
    return old + new + strings


def test_the_finder_reads_the_loaders_cache(tmp_path):
    library = _elf_like_this_process(tmp_path / "libxcb-cursor.so.0.0.0")
    cache = tmp_path / "ld.so.cache"
    cache.write_bytes(
        _ld_so_cache(
            {"libxcb-cursor.so.0": str(library), "libgone.so.1": str(tmp_path / "libgone.so.1")}
        )
    )
    finder = SystemLibraries({}, cache=cache)
    assert finder("libxcb-cursor.so.0")
    assert finder.path("libxcb-cursor.so.0") == str(library)
    assert not finder("libgone.so.1")  # in the cache, but the file is gone
    assert not finder("libxcb-icccm.so.4")


def test_the_real_cache_parses_and_names_the_c_library():
    cache = SystemLibraries.CACHE
    if not cache.is_file():
        pytest.skip("no /etc/ld.so.cache here")
    entries = SystemLibraries._parse(cache.read_bytes())
    assert "libc.so.6" in entries


# ---------------------------------------------------------------------- the distributions
@pytest.mark.parametrize(
    ("fixture", "family", "command"),
    [
        ("debian-12", "debian", "sudo apt install libxcb-cursor0 libxkbcommon-x11-0"),
        ("ubuntu-24.04", "debian", "sudo apt install libxcb-cursor0 libxkbcommon-x11-0"),
        ("linuxmint-22", "debian", "sudo apt install libxcb-cursor0 libxkbcommon-x11-0"),
        ("fedora-41", "fedora", "sudo dnf install xcb-util-cursor libxkbcommon-x11"),
        ("arch", "arch", "sudo pacman -S xcb-util-cursor libxkbcommon-x11"),
        (
            "opensuse-tumbleweed",
            "opensuse",
            "sudo zypper install libxcb-cursor0 libxkbcommon-x11-0",
        ),
        ("unknown", "", ""),
    ],
)
def test_each_distribution_gets_its_own_install_command(fixture, family, command):
    distro = pf.this_distro([OS_RELEASE / fixture])
    assert distro.family == family
    missing = ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]
    assert distro.install(distro.packages_for(missing)) == command
    result = check(X11, libraries_but(*missing), plugins(), distro=lambda: distro, system="linux")
    if command:
        assert f"install them with: {command} (" in result.problem
    else:
        assert 'Nebula OS 3 "Comet"\'s package manager' in result.problem


def test_os_release_values_are_unquoted_like_a_shell_does():
    fields = parse_os_release((OS_RELEASE / "unknown").read_text())
    assert fields["PRETTY_NAME"] == 'Nebula OS 3 "Comet"'
    assert parse_os_release("ID='x y'\n# c\nBROKEN\nNAME=plain")["ID"] == "x y"
    assert distro_from({"ID": "rocky", "ID_LIKE": "rhel centos fedora"}).family == "fedora"
    assert distro_from({"ID": "manjaro", "ID_LIKE": "arch"}).family == "arch"


def test_without_an_os_release_file_the_distribution_is_unknown(tmp_path):
    distro = pf.this_distro([tmp_path / "missing"])
    assert distro.family == "" and distro.install(["x"]) == ""


# ---------------------------------------------------------------------- the real processes
def no_display_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["REVIEWAPP_DB"] = str(tmp_path / "library" / "reviews.db")
    env["HOME"] = str(tmp_path / "home")
    return env


def assert_refused_without_a_core_dump(result: subprocess.CompletedProcess[str], tmp_path: Path):
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [NO_DISPLAY]
    assert result.stdout == ""
    assert not (tmp_path / "library").exists()  # nothing was written


def test_reviewapp_with_no_display_says_so_in_one_line_and_exits_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reviewapp"],
        env=no_display_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    # -X importtime writes to stderr too: keep its lines apart from what the user reads.
    imports = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert not any(" PySide6" in line for line in imports), "Qt was imported before the check"
    result.stderr = "".join(
        line + "\n" for line in result.stderr.splitlines() if not line.startswith("import time:")
    )
    assert_refused_without_a_core_dump(result, tmp_path)


def test_the_frozen_apps_entry_script_does_the_same(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "launcher.py")],
        env={**no_display_env(tmp_path), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_refused_without_a_core_dump(result, tmp_path)


def test_make_run_prints_the_message_and_no_traceback(tmp_path):
    make = shutil.which("make")
    stamp = ROOT / ".venv" / ".installed-stamp"
    if make is None or not stamp.exists():
        pytest.skip("make or the project's .venv is missing")
    env = no_display_env(tmp_path)
    # make would rebuild the venv if the stamp were older than its inputs: not in a test.
    if subprocess.run([make, "-q", ".venv/.installed-stamp"], cwd=ROOT, env=env).returncode != 0:
        pytest.skip("the .venv is out of date; make run would reinstall it")
    result = subprocess.run(
        [make, "-s", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == NO_DISPLAY
    assert "Traceback" not in result.stderr and "core dumped" not in result.stderr
    assert all(line.startswith("make") for line in lines[1:])  # make's own "Error 2" at most
