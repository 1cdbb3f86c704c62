"""A scan of neuroview's source for a slot that would take a button's or an action's ``checked``
for another parameter (tests/ui/test_menu_items_run.py).

PySide gives ``triggered(bool)`` and ``clicked(bool)`` their ``checked`` whenever the slot takes a
positional parameter, defaulted or not: ``overlay_dialog(self, purpose=OVERLAY)``, connected as
*Overlay series...*, got ``purpose=False`` (session 43). A ``functools.partial``, a ``*args`` or
a keyword-only parameter gets nothing, nor does a slot given to ``QMenu.addAction(text, slot)``
(PySide 6.11.3, tried: the 3D view menu's ``reset_camera(side=None)`` gets no ``side``)."""

from __future__ import annotations

import ast

CHECKED_SIGNALS = {"triggered", "clicked"}
"""Signals that pass ``checked`` (a bool) to a slot that takes a positional parameter."""

CHECKED_NAMES = {"checked", "_checked", "_", "on", "visible"}
"""First parameters meant to take it."""


class Module:
    """A module's classes and its calls, each with the class and the function it is in."""

    def __init__(self, tree: ast.Module) -> None:
        self.classes: list[ast.ClassDef] = []
        self.calls: list[tuple[ast.Call, ast.ClassDef | None, ast.FunctionDef | None]] = []
        self._visit(tree, None, None)

    def _visit(self, node, cls, function) -> None:
        if isinstance(node, ast.ClassDef):
            self.classes.append(node)
            cls = node
        elif isinstance(node, ast.FunctionDef):
            function = node
        elif isinstance(node, ast.Call):
            self.calls.append((node, cls, function))
        for child in ast.iter_child_nodes(node):
            self._visit(child, cls, function)


def _positional(function, method: bool) -> list[str]:
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    return names[1:] if method else names


def _method(classes: dict, cls: ast.ClassDef, name: str):
    """``cls``'s method ``name`` (its own or a scanned base class's); None for Qt's own."""
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == name:
            return item
    for base in cls.bases:
        for parent in classes.get(getattr(base, "id", getattr(base, "attr", "")), []):
            found = _method(classes, parent, name)
            if found is not None:
                return found
    return None


def _connects(call: ast.Call) -> bool:
    f = call.func
    return bool(isinstance(f, ast.Attribute) and f.attr == "connect" and call.args
                and isinstance(f.value, ast.Attribute) and f.value.attr in CHECKED_SIGNALS)


def checked_slots(module: Module, classes: dict) -> list[str]:
    """Slots of :data:`CHECKED_SIGNALS` in ``module`` whose first positional parameter is not
    meant for ``checked``: a ``lambda purpose: ...``, a ``self.method`` of the class (or of a base
    class in ``classes``, by name), or either handed to one of the module's helpers that connects
    its parameter (``self._action(menu, text, slot)``): "line: slot (parameter)". A slot of
    another object (``self.editor.undo``) is not resolved."""
    helpers = {}   # a function of this module that connects one of its parameters
    for call, _cls, function in module.calls:
        if function is not None and _connects(call) and isinstance(call.args[0], ast.Name):
            names = _positional(function, method=False)
            if call.args[0].id in names:
                helpers[function.name] = names.index(call.args[0].id), call.args[0].id
    found = []
    for call, cls, _function in module.calls:
        slots = [call.args[0]] if _connects(call) else []
        name = getattr(call.func, "attr", getattr(call.func, "id", None))
        if name in helpers:
            index, keyword = helpers[name]
            index -= isinstance(call.func, ast.Attribute)   # self._action(...): self not passed
            slots += [k.value for k in call.keywords if k.arg == keyword]
            slots += call.args[index:index + 1]
        for slot in slots:
            if isinstance(slot, ast.Lambda):
                first = _positional(slot, method=False)
            elif isinstance(slot, ast.Attribute) and getattr(slot.value, "id", "") == "self" and cls:
                method = _method(classes, cls, slot.attr)
                first = _positional(method, method=True) if method is not None else []
            else:
                continue
            if first and first[0] not in CHECKED_NAMES:
                found.append(f"{call.lineno}: {ast.unparse(slot)} ({first[0]})")
    return found
