"""No attribute of a neuroview Qt class hides one of Qt's own names: ``PacsDialog.window`` (the main
window, stored as ``self.window``) hid ``QWidget.window()``, so generic code calling
``widget.window()`` from an event filter raised a TypeError inside Qt, and shiboken crashed the
whole process while reporting it. Found by reading the source: a class counts as a Qt class when one
of its bases, followed through neuroview's own classes, is a PySide6 QObject class; the names it
(and the mixins it derives from) may not assign are QWidget's and those its own Qt bases have."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

import neuroview

PACKAGE = Path(neuroview.__file__).parent
TESTS = Path(__file__).parents[1]   # the tests' own Qt helpers (event filters) too
QT_MODULES = (QtWidgets, QtGui, QtCore)
CLASS_LINE = re.compile(r"^[ \t]*class[ \t]+(\w+)[ \t]*(?:\(([^)]*)\))?[ \t]*:", re.M)


def _qt_class(name: str):
    for module in QT_MODULES:
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, QtCore.QObject):
            return found
    return None


def _self_targets(node: ast.AST):
    """``(name, line)`` for each ``self.NAME`` that ``node`` assigns."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    else:
        return
    stack = list(targets)
    while stack:
        target = stack.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            stack.extend(target.elts)
        elif isinstance(target, ast.Starred):
            stack.append(target.value)
        elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
              and target.value.id == "self"):
            yield target.attr, target.lineno


def _class_bases(sources: dict) -> dict[str, set[str]]:
    """Class name -> the names of its bases (last dotted part), over every file: read from the
    ``class`` lines, which is much cheaper than parsing every file."""
    bases: dict[str, set[str]] = {}
    for text in sources.values():
        for match in CLASS_LINE.finditer(text):
            names = {part.split("=")[0].strip().split(".")[-1] for part in (match[2] or "").split(",")}
            bases.setdefault(match[1], set()).update(name for name in names if name)
    return bases


def shadowing_attributes(root: Path = PACKAGE) -> list[tuple[str, str, str, int]]:
    """``(file, class, attribute, line)`` for every ``self.NAME = ...`` in a neuroview class that
    derives from a Qt QObject class, or in a neuroview class such a class derives from (a mixin),
    where NAME is an attribute of QWidget or of those Qt classes."""
    sources = {path: path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.py"))}
    bases = _class_bases(sources)

    def lineage(name: str, seen: frozenset = frozenset()) -> tuple[set, set]:
        """(the neuroview classes ``name`` is or derives from, the Qt classes among its bases)."""
        own, qt = {name}, set()
        for base in bases.get(name, ()):
            if base in seen or base == name:
                continue
            found = _qt_class(base)
            if found is not None:
                qt.add(found)
            if base in bases:
                more_own, more_qt = lineage(base, seen | {name})
                own |= more_own
                qt |= more_qt
        return own, qt

    forbidden: dict[str, set[str]] = {}  # neuroview class -> the names it may not assign
    for name in bases:
        own, qt = lineage(name)
        if qt:
            # a QObject that is not a widget keeps QWidget's names free too: code that walks
            # objects (event filters, focus handling) calls window(), parent(), ... on either
            names = set(dir(QtWidgets.QWidget)).union(*(dir(each) for each in qt))
            for each in own:
                forbidden.setdefault(each, set()).update(names)

    shadows = []
    for path, text in sources.items():
        if not any(match[1] in forbidden for match in CLASS_LINE.finditer(text)):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.name in forbidden:
                for inner in ast.walk(node):
                    for attribute, line in _self_targets(inner):
                        if attribute in forbidden[node.name] and not attribute.startswith("__"):
                            shadows.append((str(path.relative_to(root.parent)), node.name, attribute, line))
    return shadows


def test_no_qt_class_hides_a_qt_name():
    shadows = shadowing_attributes() + shadowing_attributes(TESTS)
    assert not shadows, "attributes that hide a Qt name (rename them, e.g. main_window):\n" + "\n".join(
        f"  {file}:{line} {cls}.{attribute}" for file, cls, attribute, line in shadows)


def test_the_check_sees_a_hidden_window(tmp_path):
    package = tmp_path / "fake"
    package.mkdir()
    (package / "dialogs.py").write_text(
        "from PySide6.QtWidgets import QDialog\n"
        "from PySide6 import QtCore\n"
        "class Base(QDialog):\n"
        "    pass\n"
        "class Child(Base):\n"
        "    def __init__(self, window):\n"
        "        self.window = window\n"
        "        self.main_window = window\n"
        "class Worker(QtCore.QObject):\n"
        "    def __init__(self, parent):\n"
        "        self.owner, self.parent = parent, parent\n"
        "        self.window: object = parent\n"
        "class Plain:\n"
        "    def __init__(self, window):\n"
        "        self.window = window\n"
        "class Mixin:\n"
        "    def keep(self, size):\n"
        "        self.size = size\n"
        "class Mixed(Mixin, QDialog):\n"
        "    pass\n"
        "class Spread(\n"
        "    QtCore.QObject,\n"
        "):\n"
        "    def __init__(self):\n"
        "        self.show = True\n", encoding="utf-8")
    found = {(cls, attribute) for _, cls, attribute, _ in shadowing_attributes(package)}
    assert found == {("Child", "window"), ("Worker", "parent"), ("Worker", "window"), ("Mixin", "size"),
                     ("Spread", "show")}
