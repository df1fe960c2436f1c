"""The desktop integration files: launcher, AppStream metainfo, icons and the per-user installer.

desktop-file-validate (Debian: desktop-file-utils) and appstreamcli (Debian: appstream) are the
validators the desktops and software centres themselves use. Without them these tests skip
locally, and fail in CI (CI=true), where .ci/run installs both.
"""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reviewapp import APP_ID, __version__
from tests.conftest import ROOT

RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
ICONS = RESOURCES / "icons"
INSTALLER = ROOT / "packaging" / "install-desktop.sh"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: .ci/run must apt-get install {package}")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path


def _desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def _png_header(path: Path) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from a PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, depth, colour


# --- validators -----------------------------------------------------------------------------


def test_desktop_file_passes_desktop_file_validate():
    result = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_passes_appstreamcli_validate_without_network():
    result = subprocess.run(
        [_tool("appstreamcli", "appstream"), "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Errors (E:) fail the command; warnings (W:) would still cost the app its place in
    # software centres, so they count as failures here too.
    problems = [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert not problems, result.stdout


# --- one application id everywhere ----------------------------------------------------------


def test_the_application_id_is_the_same_in_every_file():
    entry = _desktop_entry(DESKTOP)
    root = _metainfo()
    launchable = root.find("launchable")
    assert launchable is not None
    manifest = (ROOT / "packaging" / "flatpak" / f"{APP_ID}.yml").read_text(encoding="utf-8")

    assert entry["Icon"] == APP_ID
    assert root.findtext("id") == APP_ID
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert f"app-id: {APP_ID}\n" in manifest
    assert (ICONS / f"{APP_ID}.svg").is_file()
    for size in SIZES:
        assert (ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()


def test_the_launcher_runs_the_console_script_that_pyproject_installs():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    entry = _desktop_entry(DESKTOP)
    root = _metainfo()
    assert entry["Exec"] in scripts
    assert entry["Terminal"] == "false"
    assert root.findtext("provides/binary") == entry["Exec"]


def _application_name_the_gui_sets() -> str:
    """The string reviewapp/ui/app.py passes to setApplicationName (read, not run: no Qt app)."""
    import ast

    tree = ast.parse((ROOT / "reviewapp" / "ui" / "app.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setApplicationName"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            return str(node.args[0].value)
    raise AssertionError("reviewapp/ui/app.py no longer calls setApplicationName with a string")


def test_the_launcher_matches_the_window_by_its_x11_class():
    """Qt makes the application name the X11 WM_CLASS class, which StartupWMClass must name."""
    assert _desktop_entry(DESKTOP)["StartupWMClass"] == _application_name_the_gui_sets()


def test_the_gui_names_this_launcher_as_its_desktop_file():
    """setDesktopFileName(APP_ID) is how Wayland and GNOME/KDE match the window to the launcher."""
    source = (ROOT / "reviewapp" / "ui" / "app.py").read_text(encoding="utf-8")
    assert "setDesktopFileName(APP_ID)" in source
    assert f'APP_ID = "{APP_ID}"' in source or "from reviewapp import APP_ID" in source


def test_the_launcher_names_what_the_app_is_for():
    entry = _desktop_entry(DESKTOP)
    assert entry["Name"] == "ReviewApp"
    assert "claim" in entry["Comment"].lower()
    assert "Office" in entry["Categories"].split(";")
    assert "fact-check" in entry["Keywords"].split(";")


# --- AppStream content ----------------------------------------------------------------------


def test_metainfo_licences_are_mit_for_the_project_and_cc0_for_the_metadata():
    root = _metainfo()
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("metadata_license") == "CC0-1.0"
    licence = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    assert licence == {"text": "MIT"}


def test_metainfo_release_is_this_version_with_its_date_and_notes():
    releases = _metainfo().findall("releases/release")
    newest = releases[0]
    assert newest.get("version") == __version__ == "0.2.0"
    assert newest.get("date") == "2026-12-04"
    notes = newest.findall("description/ul/li")
    assert len(notes) >= 3, "release notes list what 0.2.0 can do"
    assert [r.get("version") for r in releases] == ["0.2.0", "0.1.0"]


def test_metainfo_description_speaks_to_an_editor():
    paragraphs = " ".join(p.text or "" for p in _metainfo().findall("description/p"))
    for words in ("editor", "claim", "sources", "sign", "Markdown"):
        assert words in paragraphs


def test_metainfo_has_a_content_rating():
    rating = _metainfo().find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"


def test_the_screenshot_url_points_at_a_screenshot_in_this_repository():
    image = _metainfo().find("screenshots/screenshot/image")
    assert image is not None and image.text
    assert image.text.startswith("https://")
    marker = "/resources/screenshots/"
    assert marker in image.text, "the URL is the raw URL of a file kept in the repository"
    local = RESOURCES / "screenshots" / image.text.split(marker, 1)[1]
    assert local.is_file(), f"{local} is missing"
    width, height, _, _ = _png_header(local)
    assert (str(width), str(height)) == (image.get("width"), image.get("height"))
    # Software centres show screenshots at up to 16:9 and want at least 620 px wide.
    assert width >= 620 and 1.0 <= width / height <= 16 / 9 + 0.01


# --- icons ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_each_icon_png_is_square_rgba_of_its_folder_size(size: int):
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    width, height, depth, colour = _png_header(path)
    assert (width, height) == (size, size)
    assert (depth, colour) == (8, 6), "8-bit RGBA, so the icon has a transparent background"


def test_the_committed_pngs_are_what_the_svg_renders_to(qapp, tmp_path: Path):
    """Editing the SVG without running packaging/render_icons.py is caught here."""
    from PySide6.QtGui import QImage

    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import render_icons
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    render_icons.render_all(ICONS / f"{APP_ID}.svg", tmp_path)
    for size in SIZES:
        relative = Path("hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")
        fresh = QImage(str(tmp_path / relative)).convertToFormat(QImage.Format.Format_ARGB32)
        committed = QImage(str(ICONS / relative)).convertToFormat(QImage.Format.Format_ARGB32)
        a, b = bytes(fresh.constBits()), bytes(committed.constBits())
        assert len(a) == len(b)
        if a != b:  # a different Qt may antialias a little differently: allow that, no more
            mean = sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
            assert mean < 1.0, f"{relative} differs from a fresh render: run render_icons.py"
    fresh_ico, committed_ico = (d / f"{APP_ID}.ico" for d in (tmp_path, ICONS))
    assert fresh_ico.read_bytes()[:6] == committed_ico.read_bytes()[:6]


def test_the_small_icon_is_drawn_on_the_pixel_grid(qapp):
    """At 16 px the outline is solid ink, not the grey blur of a scaled-down 128 px drawing."""
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(ICONS / "hicolor" / "16x16" / "apps" / f"{APP_ID}.png"))
    ink = QColor("#1f3a5f")
    left_edge = [image.pixelColor(1, y) for y in range(2, 13)]
    assert all(c == ink for c in left_edge), [c.name() for c in left_edge]


def test_the_windows_ico_holds_every_size_up_to_256():
    data = (ICONS / f"{APP_ID}.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        entry = data[6 + 16 * i : 22 + 16 * i]
        width, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", entry)
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
        sizes.append(width or 256)
    assert sizes == [16, 32, 48, 64, 128, 256]


def test_the_macos_icns_holds_png_images_up_to_1024():
    data = (ICONS / f"{APP_ID}.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    kinds, at = [], 8
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack(">I", data[at + 4 : at + 8])[0]
        assert data[at + 8 : at + 16] == b"\x89PNG\r\n\x1a\n"
        kinds.append(kind)
        at += length
    assert at == len(data)
    assert {b"icp4", b"ic07", b"ic08", b"ic09", b"ic10"} - set(kinds) == {b"ic10"}
    assert b"ic14" in kinds  # 512@2x = 1024 px, what the Dock and Finder use on Retina


# --- per-user install -----------------------------------------------------------------------


def _fake_venv(tmp_path: Path, folder: str = "venv") -> Path:
    entry = tmp_path / folder / "bin" / "reviewapp"
    entry.parent.mkdir(parents=True)
    entry.write_text("#!/bin/sh\nexit 0\n")
    entry.chmod(0o755)
    return entry


def _install(data_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    return subprocess.run(
        ["sh", str(INSTALLER), *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_install_desktop_puts_launcher_metainfo_and_icons_under_xdg_data_home(tmp_path: Path):
    entry = _fake_venv(tmp_path)
    data = tmp_path / "share"
    result = _install(data, str(entry))
    assert result.returncode == 0, result.stderr

    desktop = data / "applications" / DESKTOP.name
    installed = _desktop_entry(desktop)
    assert installed["Exec"] == str(entry)
    assert installed["TryExec"] == str(entry)
    assert installed["Icon"] == APP_ID
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (data / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    for size in SIZES:
        icon = data / "icons/hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert icon.read_bytes() == (ICONS / icon.relative_to(data / "icons")).read_bytes()
    assert str(data) in result.stdout


def test_install_desktop_quotes_an_entry_point_path_with_spaces_and_percent(tmp_path: Path):
    entry = _fake_venv(tmp_path, "my venv 100%")
    data = tmp_path / "share"
    assert _install(data, str(entry)).returncode == 0
    desktop = data / "applications" / DESKTOP.name
    exec_line = _desktop_entry(desktop)["Exec"]
    assert exec_line == '"' + str(entry).replace("%", "%%") + '"'
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True)
        assert check.returncode == 0, check.stdout


def test_install_desktop_refuses_a_missing_entry_point_and_installs_nothing(tmp_path: Path):
    data = tmp_path / "share"
    result = _install(data, str(tmp_path / "nowhere" / "bin" / "reviewapp"))
    assert result.returncode == 2
    assert "no executable entry point" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not data.exists()


def test_install_desktop_refuses_a_path_a_launcher_cannot_quote(tmp_path: Path):
    entry = _fake_venv(tmp_path, 'odd"name')
    data = tmp_path / "share"
    result = _install(data, str(entry))
    assert result.returncode == 2
    assert "quote" in result.stderr
    assert not (data / "applications" / DESKTOP.name).exists()


def test_install_desktop_uninstall_removes_what_it_installed(tmp_path: Path):
    data = tmp_path / "share"
    assert _install(data, str(_fake_venv(tmp_path))).returncode == 0
    (data / "icons/hicolor/48x48/apps/someone-else.png").write_bytes(b"not ours")

    result = _install(data, "--uninstall")
    assert result.returncode == 0, result.stderr
    left = sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file())
    assert not [p for p in left if APP_ID in p], left
    assert "icons/hicolor/48x48/apps/someone-else.png" in left


def test_install_desktop_defaults_to_the_checkouts_venv(tmp_path: Path):
    """With no argument the launcher points at <repo>/.venv/bin/reviewapp."""
    default = ROOT / ".venv" / "bin" / "reviewapp"
    result = _install(tmp_path / "share")
    if default.exists():
        assert result.returncode == 0, result.stderr
        installed = _desktop_entry(tmp_path / "share" / "applications" / DESKTOP.name)
        assert installed["Exec"] == str(default)
    else:
        assert result.returncode == 2
        assert str(default) in result.stderr
