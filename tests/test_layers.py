"""Layers (docs/architecture.md): nothing outside reviewapp/ui imports PySide6; core stays pure."""

import ast
import subprocess
import sys
from pathlib import Path

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


def test_core_imports_nothing_but_the_standard_library_and_itself():
    allowed_third_party = {"rapidfuzz"}  # fuzzy matching for re-anchoring: pure computation
    for path in (PACKAGE / "core").rglob("*.py"):
        for name in _imported_names(path):
            top = name.split(".")[0]
            if top == "reviewapp":
                assert name.startswith("reviewapp.core"), f"{path.name} imports {name}"
            else:
                assert top in sys.stdlib_module_names or top in allowed_third_party, (
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
