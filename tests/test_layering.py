"""The layers of the design, checked over the source: which package may import which.

One table of allowed edges (a package -> the packages it may import; the same table the
check-layers tool prints against) is checked over every module under reviewapp/ with ``ast``:
imports at module level and inside functions, absolute and relative, each offender reported as
``file:line: src -> dst (module)``. Beside it: nothing outside
reviewapp/ui imports PySide6, and core stays pure Python.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.test_ui_imports import import_cycles

PACKAGE = Path(__file__).resolve().parent.parent / "reviewapp"


def _modules(exclude_ui: bool = True) -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if exclude_ui and "ui" in parts[1:2]:
            continue
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_outside_ui_mentions_pyside6_in_an_import():
    offenders = [
        str(p.relative_to(PACKAGE.parent))
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] != "ui"
        and any(n.split(".")[0] in {"PySide6", "shiboken6"} for n in _imported_names(p))
    ]
    assert offenders == []


def test_core_imports_nothing_outside_the_standard_library_but_rapidfuzz():
    """Which reviewapp packages core may import is the table's business (below)."""
    allowed_third_party = {"rapidfuzz"}  # fuzzy matching for re-anchoring: pure computation
    for path in (PACKAGE / "core").rglob("*.py"):
        for name in _imported_names(path):
            top = name.split(".")[0]
            assert top in {"reviewapp", *sys.stdlib_module_names, *allowed_third_party}, (
                f"{path.name} imports {name}"
            )


def test_every_non_ui_module_imports_with_pyside6_blocked():
    """Import each module in a fresh interpreter where importing PySide6 raises."""
    modules = _modules()
    assert "reviewapp.store.reviews" in modules and "reviewapp.cli" in modules
    script = f"""
import importlib, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6'):
            raise ImportError('PySide6 is blocked outside reviewapp.ui: ' + name)
sys.meta_path.insert(0, Block())
for name in {modules!r}:
    importlib.import_module(name)
# The CLI builds its whole parser without touching Qt.
from reviewapp.cli import build_parser
build_parser()
assert not any(m.startswith('PySide6') for m in sys.modules), 'PySide6 was imported'
print('ok', len({modules!r}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


# ---------------------------------------------------------------------- the allowed edges
# The lower layers: each imports core at most (signing also secrets); none imports another.
LOWER = frozenset({"core", "ingest", "store", "secrets", "signing", "export"})
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "ingest": frozenset({"core"}),
    "store": frozenset({"core"}),
    "secrets": frozenset({"core"}),
    "signing": frozenset({"core", "secrets"}),
    "export": frozenset({"core"}),
    "workflows": LOWER,  # what spans layers: sign-off, verify, bundle import, revisions, ...
    "cli": LOWER | {"workflows", "launch"},
    "launch": LOWER | {"workflows", "ui"},  # the one entry module that starts the GUI
    "ui": LOWER | {"workflows"},
    "__main__": frozenset({"cli", "launch"}),
}
# Modules at the top of the package that anyone may import; they import only each other.
UTILITIES = frozenset({"__init__", "logs", "resources_path", "_version", "version"})


class Violation(NamedTuple):
    """One import the table does not allow (dst is '' when the source is not in the table)."""

    file: str
    line: int
    src: str
    dst: str
    module: str

    def __str__(self) -> str:
        if not self.dst:
            return f"{self.file}:{self.line}: {self.src} is not in the layering table"
        return f"{self.file}:{self.line}: {self.src} -> {self.dst} ({self.module})"


def _top_level_names(package: Path) -> set[str]:
    """The packages and modules directly under reviewapp/ (what ``reviewapp.X`` can name)."""
    names = {p.stem for p in package.glob("*.py")}
    names |= {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    return names


def _module_name(root: Path, path: Path) -> tuple[str, ...]:
    """('reviewapp', 'store', 'bundles') for reviewapp/store/bundles.py."""
    return path.relative_to(root).with_suffix("").parts


def _package_of(module: tuple[str, ...]) -> str:
    """The layer a module belongs to: the name after 'reviewapp' ('__init__' for the package)."""
    return module[1] if len(module) > 1 else "__init__"


def imports_of(root: Path, path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute dotted module) for every import in a file, wherever it is written.

    Relative imports are resolved against the file's own package; ``from X import name`` also
    yields ``X.name``, since the name may be a module (``from reviewapp import store``).
    """
    # The package a relative import starts from: the module's parent package (for an
    # __init__.py, whose name ends in '__init__', that is the package itself).
    package = _module_name(root, path)[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            yield node.lineno, target
            for alias in node.names:
                if alias.name != "*":
                    yield node.lineno, f"{target}.{alias.name}"


def layering_violations(root: Path) -> list[Violation]:
    """Every import under root/reviewapp that the table does not allow, in file order."""
    package_dir = root / "reviewapp"
    known = _top_level_names(package_dir)
    bad: list[Violation] = []
    for path in sorted(package_dir.rglob("*.py")):
        module = _module_name(root, path)
        src = _package_of(module)
        allowed = UTILITIES if src in UTILITIES else ALLOWED.get(src)
        where = path.relative_to(root).as_posix()
        if allowed is None:
            bad.append(Violation(where, 1, src, "", ""))
            continue
        seen: set[tuple[int, str]] = set()
        for line, name in imports_of(root, path):
            parts = name.split(".")
            if parts[0] != "reviewapp":
                continue
            # 'reviewapp' itself, or a name it defines ('reviewapp.__version__'), is __init__.
            layer = len(parts) > 2 or (len(parts) == 2 and (parts[1] in known | ALLOWED.keys()))
            dst = parts[1] if layer else "__init__"
            if (line, dst) in seen:  # 'from reviewapp.export import x' names export once
                continue
            seen.add((line, dst))
            if dst == src or dst in UTILITIES or dst in allowed:
                continue
            bad.append(Violation(where, line, src, dst, name))
    return bad


def _report(bad: list[Violation]) -> str:
    return f"{len(bad)} import(s) against the layering:\n" + "\n".join(map(str, bad))


def _lines(bad: list[Violation]) -> list[str]:
    return [str(v) for v in bad]


def test_every_import_between_packages_follows_the_layering():
    bad = layering_violations(PACKAGE.parent)
    assert not bad, _report(bad)


def test_no_import_circle_inside_the_ui_package():
    cycles = import_cycles()  # the graph and its checker: tests/test_ui_imports.py
    assert not cycles, "import circle(s) in reviewapp/ui:\n" + "\n".join(cycles)


# ---------------------------------------------------------------------- the checker itself
def _tree(root: Path, files: dict[str, str]) -> Path:
    """A package tree under root/reviewapp: {'store/db.py': source}; __init__.py files added."""
    for name, source in files.items():
        path = root / "reviewapp" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    for folder in [root / "reviewapp", *(root / "reviewapp").rglob("*")]:
        if folder.is_dir() and folder.name != "__pycache__":
            (folder / "__init__.py").touch()
    return root


CHECKER_CASES = {
    "allowed edges pass": (
        {
            "core/model.py": "import json\n",
            "store/db.py": "from reviewapp.core.model import Review\nfrom reviewapp import logs\n",
            "signing/keys.py": "from reviewapp.secrets import store\nfrom . import sshsig\n",
            "signing/sshsig.py": "from .keys import fingerprint\n",
            "cli/run.py": "def go():\n    from reviewapp.workflows import signoff\n",
            "__main__.py": "from reviewapp.cli import main\n",
            "logs.py": "from reviewapp import __version__\n",
        },
        [],
    ),
    "a forbidden import inside a function, with its line": (
        {
            "store/bundles.py": '"""Bundles."""\n\nimport json\n\n\n'
            "def read():\n    from reviewapp.export.bundle import b\n",
        },
        ["reviewapp/store/bundles.py:7: store -> export (reviewapp.export.bundle)"],
    ),
    "relative imports resolved": (
        {
            "signing/keys.py": "x = 1\nfrom ..store import reviews\n",
            # in a package's __init__, one dot is the package itself, two its parent
            "cli/__init__.py": "from . import articles\nfrom .. import ui\n",
            "cli/articles.py": "from ..ui.app import run\n",
            "ui/app.py": "",
        },
        [
            "reviewapp/cli/__init__.py:2: cli -> ui (reviewapp.ui)",
            "reviewapp/cli/articles.py:1: cli -> ui (reviewapp.ui.app)",
            "reviewapp/signing/keys.py:2: signing -> store (reviewapp.store)",
        ],
    ),
    "plain imports, utilities and unknown packages": (
        {
            "ingest/fetch.py": "import reviewapp.ui.app as app\nimport reviewapp.core.text\n",
            "logs.py": "from reviewapp.store import ReviewStore\n",
            "plugins/x.py": "",
        },
        [
            "reviewapp/ingest/fetch.py:1: ingest -> ui (reviewapp.ui.app)",
            "reviewapp/logs.py:1: logs -> store (reviewapp.store)",
            "reviewapp/plugins/__init__.py:1: plugins is not in the layering table",
            "reviewapp/plugins/x.py:1: plugins is not in the layering table",
        ],
    ),
}


@pytest.mark.parametrize("case", CHECKER_CASES)
def test_the_checker_on_small_trees(tmp_path: Path, case: str):
    files, expected = CHECKER_CASES[case]
    assert _lines(layering_violations(_tree(tmp_path, files))) == expected
