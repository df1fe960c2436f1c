"""Find the files shipped beside the package: resources/ (icons, desktop files) and seeds/.

The same code runs from a source checkout or editable install (the repository's top-level
folders), from a PyInstaller one-folder build (``sys._MEIPASS``), and from a system or Flatpak
install that copies the folders to ``<prefix>/share/reviewapp/`` (or names them with
``REVIEWAPP_RESOURCES`` / ``REVIEWAPP_SEEDS``). No Qt here: the GUI turns the paths into icons.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePosixPath

RESOURCES_ENV = "REVIEWAPP_RESOURCES"
SEEDS_ENV = "REVIEWAPP_SEEDS"

# reviewapp/resources_path.py -> the repository (or site-packages) root
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent


def _candidates(folder: str, env_var: str) -> list[Path]:
    """Where ``folder`` may live, most specific first."""
    found: list[Path] = []
    override = os.environ.get(env_var)
    if override:
        found.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        found.append(Path(bundle) / folder)
    found.append(_PACKAGE_PARENT / folder)
    found.append(Path(sys.prefix) / "share" / "reviewapp" / folder)
    return found


def _root(folder: str, env_var: str) -> Path:
    """The first existing candidate for ``folder``; an install without it is broken."""
    candidates = _candidates(folder, env_var)
    override = os.environ.get(env_var)
    if override and not Path(override).is_dir():
        # A wrong override would otherwise be silently ignored and hide a packaging bug.
        raise FileNotFoundError(f"{env_var}={override} is not a folder: fix or unset it")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"reviewapp's {folder}/ folder is missing (looked in {looked})")


def _join(root: Path, parts: tuple[str, ...]) -> Path:
    """Join relative parts below ``root``, refusing anything that would leave it."""
    for part in parts:
        pure = PurePosixPath(part.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or Path(part).is_absolute():
            raise ValueError(f"resource path parts must stay inside the folder: {part!r}")
    return root.joinpath(*parts)


def resources_root() -> Path:
    """The folder that holds icons/, the .desktop file and the AppStream metainfo."""
    return _root("resources", RESOURCES_ENV)


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. ``resource_path("icons", "org.reviewapp.ReviewApp.svg")``.

    The file itself is not checked: callers that need it test ``.exists()``.
    """
    return _join(resources_root(), parts)


def seeds_path(*parts: str) -> Path:
    """Path of a sample article shipped in seeds/ (the folder itself with no parts)."""
    return _join(_root("seeds", SEEDS_ENV), parts)
