"""Packaging: finding shipped files from any install, the PyInstaller bundle, the scripts.

The real PyInstaller build takes about 20 s and needs PyInstaller, so it runs only when asked:
REVIEWAPP_TEST_FREEZE=1 (see packaging/README.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import reviewapp.resources_path as rp
from reviewapp import APP_ID
from tests.conftest import ROOT

PACKAGING = ROOT / "packaging"
MANIFEST = PACKAGING / "flatpak" / f"{APP_ID}.yml"


@pytest.fixture
def bundle_contents():
    sys.path.insert(0, str(PACKAGING))
    try:
        import bundle_contents as module
    finally:
        sys.path.remove(str(PACKAGING))
    return module


@pytest.fixture
def no_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(rp.RESOURCES_ENV, raising=False)
    monkeypatch.delenv(rp.SEEDS_ENV, raising=False)


def _fake_tree(root: Path) -> Path:
    (root / "resources" / "icons").mkdir(parents=True)
    (root / "resources" / "icons" / f"{APP_ID}.svg").write_text("<svg/>")
    (root / "seeds").mkdir()
    (root / "seeds" / "draft.txt").write_text("A title\n\nA claim.")
    return root


# --- resource_path --------------------------------------------------------------------------


def test_resource_path_finds_the_checkouts_icons(no_overrides):
    icon = rp.resource_path("icons", f"{APP_ID}.svg")
    assert icon == ROOT / "resources" / "icons" / f"{APP_ID}.svg"
    assert icon.is_file()
    assert rp.resources_root() == ROOT / "resources"


def test_seeds_path_finds_the_sample_draft(no_overrides):
    assert rp.seeds_path() == ROOT / "seeds"
    assert rp.seeds_path("amazon-anthropic-ai-assisted-draft.txt").is_file()


def test_in_a_pyinstaller_bundle_resources_come_from_meipass(
    no_overrides, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    bundle = _fake_tree(tmp_path / "_internal")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert (
        rp.resource_path("icons", f"{APP_ID}.svg") == bundle / "resources/icons" / f"{APP_ID}.svg"
    )
    assert rp.seeds_path("draft.txt").read_text().startswith("A title")


def test_meipass_is_ignored_when_not_frozen(
    no_overrides, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """A stray _MEIPASS (left by a parent PyInstaller process) must not redirect a checkout."""
    monkeypatch.setattr(sys, "_MEIPASS", str(_fake_tree(tmp_path)), raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert rp.resources_root() == ROOT / "resources"


def test_environment_variables_point_at_an_installed_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    tree = _fake_tree(tmp_path / "share" / "reviewapp")
    monkeypatch.setenv(rp.RESOURCES_ENV, str(tree / "resources"))
    monkeypatch.setenv(rp.SEEDS_ENV, str(tree / "seeds"))
    assert rp.resources_root() == tree / "resources"
    assert rp.seeds_path("draft.txt").is_file()


def test_a_wrong_environment_override_is_reported_not_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv(rp.RESOURCES_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match=f"{rp.RESOURCES_ENV}=.*nowhere is not a folder"):
        rp.resource_path("icons")


def test_an_install_without_resources_says_where_it_looked(
    no_overrides, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr(rp, "_PACKAGE_PARENT", tmp_path / "site-packages")
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    with pytest.raises(FileNotFoundError) as error:
        rp.resource_path("icons")
    message = str(error.value)
    assert "resources/ folder is missing" in message
    assert str(tmp_path / "site-packages" / "resources") in message
    assert str(tmp_path / "prefix" / "share" / "reviewapp" / "resources") in message


def test_a_prefix_install_under_share_reviewapp_is_found(
    no_overrides, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    tree = _fake_tree(tmp_path / "prefix" / "share" / "reviewapp")
    monkeypatch.setattr(rp, "_PACKAGE_PARENT", tmp_path / "site-packages")
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert rp.resources_root() == tree / "resources"


@pytest.mark.parametrize("part", ["..", "../secrets", "/etc/passwd", "icons/../../x", "..\\x"])
def test_resource_path_refuses_parts_that_leave_the_folder(no_overrides, part: str):
    with pytest.raises(ValueError, match="must stay inside"):
        rp.resource_path(part)


# --- what the PyInstaller bundle carries ----------------------------------------------------


def test_every_keyring_backend_is_bundled(bundle_contents):
    """keyring picks its backend through entry points, which import analysis cannot follow."""
    hidden = set(bundle_contents.hidden_imports())
    for point in entry_points(group="keyring.backends"):
        assert point.value.split(":")[0] in hidden, point
    for name in ("SecretService", "kwallet", "Windows", "macOS", "libsecret", "chainer", "fail"):
        assert f"keyring.backends.{name}" in hidden
    assert "keyring" in bundle_contents.METADATA_PACKAGES


def test_every_cli_command_module_is_bundled(bundle_contents):
    """reviewapp.cli discovers its commands with pkgutil, so each module must be listed."""
    hidden = set(bundle_contents.hidden_imports())
    commands = [p.stem for p in (ROOT / "reviewapp" / "cli").glob("*.py") if p.stem != "__init__"]
    assert commands
    for name in commands:
        assert f"reviewapp.cli.{name}" in hidden
    assert "reviewapp.resources_path" in hidden


def test_the_data_files_extraction_needs_are_collected(bundle_contents):
    import justext
    import trafilatura

    assert (Path(trafilatura.__file__).parent / "settings.cfg").is_file()
    assert (Path(justext.__file__).parent / "stoplists" / "English.txt").is_file()
    for package in ("trafilatura", "justext", "tld", "babel", "certifi"):
        assert package in bundle_contents.DATA_PACKAGES
    assert {"lxml.etree", "lxml_html_clean"} <= set(bundle_contents.hidden_imports())


def test_the_bundle_carries_resources_and_seeds_at_its_top_level(bundle_contents, tmp_path):
    pairs = bundle_contents.project_data()
    assert (str(ROOT / "resources"), "resources") in pairs
    assert (str(ROOT / "seeds"), "seeds") in pairs
    with pytest.raises(FileNotFoundError, match="complete checkout"):
        bundle_contents.project_data(tmp_path)


def test_the_bundle_keeps_the_qt_modules_the_app_needs(bundle_contents):
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"):
        assert needed not in bundle_contents.EXCLUDES


def test_the_spec_uses_the_bundle_contents_and_the_app_id(bundle_contents):
    spec = (PACKAGING / "reviewapp.spec").read_text()
    compile(spec, "reviewapp.spec", "exec")  # valid Python, as PyInstaller will run it
    for used in (
        "bundle_contents.hidden_imports(",
        "bundle_contents.DATA_PACKAGES",
        "bundle_contents.METADATA_PACKAGES",
        "bundle_contents.EXCLUDES",
        "bundle_contents.project_data(",
        "bundle_identifier=bundle_contents.APP_ID",
        "COLLECT(",
    ):
        assert used in spec
    assert "onefile" not in spec.lower()
    assert bundle_contents.APP_ID == APP_ID


# --- scripts and manifests ------------------------------------------------------------------


def test_the_build_script_is_valid_bash_and_explains_itself():
    script = PACKAGING / "build"
    assert os.access(script, os.X_OK)
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    shown = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert shown.returncode == 0 and "--self-test" in shown.stdout
    wrong = subprocess.run([str(script), "--bogus"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "unknown option --bogus" in wrong.stderr


def test_the_install_script_is_posix_sh():
    script = PACKAGING / "install-desktop.sh"
    assert os.access(script, os.X_OK)
    shell = shutil.which("dash") or "sh"
    assert subprocess.run([shell, "-n", str(script)]).returncode == 0
    assert script.read_text().startswith("#!/bin/sh\n")


def test_the_flatpak_manifest_builds_from_wheels_with_the_permissions_the_app_needs():
    text = MANIFEST.read_text()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    lines = {line.strip() for line in text.splitlines()}
    assert f"app-id: {APP_ID}" in lines
    assert "runtime-version: '24.08'" in lines
    assert lines & {"runtime: org.freedesktop.Platform", "runtime: org.kde.Platform"}
    assert any(line.startswith("command: ") and line[9:] in scripts for line in lines)
    for arg in (
        "--talk-name=org.freedesktop.secrets",
        "--socket=wayland",
        "--socket=fallback-x11",
        "--share=network",
        f"--env={rp.RESOURCES_ENV}=/app/share/reviewapp/resources",
    ):
        assert f"- {arg}" in lines
    assert "- python3-requirements.json" in lines
    assert "flatpak-pip-generator" in text and "--prefer-wheels=pyside6-essentials" in text
    assert "\t" not in text, "YAML does not allow tabs"


def test_the_flatpak_manifest_is_valid_yaml_when_a_parser_is_at_hand():
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert manifest["app-id"] == APP_ID
    assert "--talk-name=org.freedesktop.secrets" in manifest["finish-args"]


def test_the_packaging_readme_covers_every_platform_and_the_self_test():
    readme = (PACKAGING / "README.md").read_text()
    for topic in (
        "packaging/build",
        "--self-test",
        "codesign",
        "notarytool",
        "Keychain",
        "Credential Locker",
        "Inno Setup",
        "MSIX",
        "flatpak-pip-generator",
        "install-desktop.sh",
        "render_icons.py",
    ):
        assert topic in readme, topic
