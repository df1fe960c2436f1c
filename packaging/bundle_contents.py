"""What the frozen app must carry that PyInstaller's import analysis cannot see.

Pure standard library, so the tests can check these lists without PyInstaller installed;
packaging/reviewapp.spec turns them into PyInstaller arguments.
"""

from __future__ import annotations

import importlib.util
import pkgutil
from importlib.metadata import entry_points
from pathlib import Path

APP_ID = "org.reviewapp.ReviewApp"
APP_NAME = "reviewapp"
REPO = Path(__file__).resolve().parent.parent

# Packages whose non-Python files are read at run time:
#   trafilatura  settings.cfg (extraction defaults) and data/tei_corpus.dtd
#   justext      stoplists/*.txt (trafilatura's fallback extractor)
#   tld          res/effective_tld_names*.txt (courlan's URL checks)
#   babel        locale-data/*.dat (courlan and htmldate language data)
#   certifi      cacert.pem (TLS for fetching articles)
#   docx         templates/ (python-docx opens documents through them)
DATA_PACKAGES = ("trafilatura", "justext", "tld", "babel", "certifi", "docx")

# Distributions whose metadata must travel with the app: keyring finds its backends through
# entry points, which importlib.metadata reads from the .dist-info folder; sqlite-utils has no
# __version__, so Help › About reads its version from the metadata.
METADATA_PACKAGES = ("keyring", "sqlite-utils")

# Imported by name at run time (entry points, lazy imports, C extensions' own imports).
EXTRA_HIDDEN_IMPORTS = (
    "keyring.backends.fail",
    "keyring.backends.chainer",
    "keyring.backends.null",
    "secretstorage",
    "jeepney",
    "lxml.etree",
    "lxml._elementpath",
    "lxml.html",
    "lxml.html.clean",
    "lxml_html_clean",
    "sqlite3",
    "cryptography.hazmat.primitives.asymmetric.ed25519",
)

# Qt modules and standard-library parts the app never uses: leaving them out keeps the
# one-folder build smaller. QtNetwork and QtPrintSupport stay: the GUI may use them.
EXCLUDES = (
    "tkinter",
    "unittest",
    "pydoc_data",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
    "PySide6.QtQuickWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "pytest",
    "pytestqt",
    "mypy",
    "ruff",
)


def keyring_backend_modules() -> list[str]:
    """Every keyring backend module: the entry points plus the modules in keyring.backends.

    The app cannot know which desktop it will run on (Secret Service, KWallet, macOS Keychain,
    Windows Credential Locker), so all of them are bundled; each one checks at run time
    whether it is usable.
    """
    names = {ep.value.split(":")[0] for ep in entry_points(group="keyring.backends")}
    spec = importlib.util.find_spec("keyring.backends")
    if spec is not None and spec.submodule_search_locations:
        for module in pkgutil.iter_modules(list(spec.submodule_search_locations)):
            names.add(f"keyring.backends.{module.name}")
    return sorted(names)


def project_modules(repo: Path = REPO) -> list[str]:
    """Every module of the reviewapp package.

    reviewapp.cli finds its commands with pkgutil.iter_modules, so no import statement names
    them and PyInstaller would leave them out.
    """
    names = []
    # Read the tree instead of importing it: importing reviewapp.ui would start Qt.
    for source in (repo / APP_NAME).rglob("*.py"):
        parts = source.relative_to(repo).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return sorted(names)


def hidden_imports(repo: Path = REPO) -> list[str]:
    """Modules PyInstaller must bundle although no import statement names them."""
    found = set(keyring_backend_modules()) | set(EXTRA_HIDDEN_IMPORTS) | set(project_modules(repo))
    return sorted(found)


def project_data(repo: Path = REPO) -> list[tuple[str, str]]:
    """The app's own folders, as (source, destination in the bundle) pairs.

    resources/ and seeds/ land at the bundle's top level, where
    reviewapp.resources_path looks for them under sys._MEIPASS.
    """
    pairs = []
    for folder in ("resources", "seeds"):
        source = repo / folder
        if not source.is_dir():
            raise FileNotFoundError(f"{source} is missing: build from a complete checkout")
        pairs.append((str(source), folder))
    return pairs
