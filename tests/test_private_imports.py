"""No neuroview module reaches into another one's private (underscore) names: a helper two modules
need is public, in the module that owns it (DESIGN.md, "one idea per module"). Found by reading the
source with ``ast``; third-party privates (pydicom's, pynetdicom's) are not this test's business."""

from __future__ import annotations

import ast
from pathlib import Path

import neuroview

PACKAGE = Path(neuroview.__file__).parent

KNOWN: set = set()  # (module, other module) pairs allowed for now: none


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _source(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(root: Path = PACKAGE) -> list[tuple[str, str, str, int]]:
    """``(module, other module, private name, line)`` for every use of another neuroview module's
    private name: ``from .other import _name`` or ``other._name`` after ``from . import other``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {}  # local name -> neuroview module (or name) it stands for
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _source(node, module, path.name == "__init__.py")
            if not source.startswith("neuroview"):
                continue
            for alias in node.names:
                if _private(alias.name) and source != module:
                    found.append((module, source, alias.name, node.lineno))
                modules[alias.asname or alias.name] = f"{source}.{alias.name}"
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in modules and _private(node.attr)):
                other = modules[node.value.id]
                where = root.parent / other.replace(".", "/")
                if where.with_suffix(".py").exists() or (where / "__init__.py").exists():
                    found.append((module, other, node.attr, node.lineno))
    return found


def test_no_module_imports_another_modules_private_names():
    unexpected = [f"{module}:{line} uses {other}.{name}"
                  for module, other, name, line in private_uses() if (module, other) not in KNOWN]
    assert unexpected == []


def test_the_check_finds_such_an_import(tmp_path):
    package = tmp_path / "neuroview"
    (package / "io").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "io" / "__init__.py").write_text("")
    (package / "io" / "dimse.py").write_text("def _where(config):\n    return config\n")
    (package / "io" / "check.py").write_text("from .dimse import _where\nfrom . import dimse\n"
                                             "x = dimse._where\n")
    assert private_uses(package) == [("neuroview.io.check", "neuroview.io.dimse", "_where", 1),
                    ("neuroview.io.check", "neuroview.io.dimse", "_where", 3)]
