"""No text that may hold a file's, a DICOM tag's, a model card's or a server's value reaches a place
where Qt takes text that looks like HTML for HTML: a label (``QLabel``, a form row's label, a
``QInputDialog``'s question), a message box, a tooltip or a *What's this*. Session 47 found such
places one at a time (``tests/ui/test_file_values_plain.py``); session 48 found five more it had
listed (the Models table's tooltips, the segment list's *From* tooltip, the worklist table's
tooltips, *Open follow-up*'s PACS error, *Make worklist*'s search line) and others by reading
the source as this test does.

The rule read from the source of ``neuroview/ui``: a text given to such a place is the program's
own (a literal, an ALL_CAPS constant, a name bound only to those in its function, a loop's name
over a literal tuple or a constant), or it goes through ``plain_tooltip()``, or it is the text of
a label or message box whose text format the same file sets to ``Qt.PlainText``
(``plain_label()``). A label or message box kept in an attribute (``self.status``) is followed
from the file that makes it to every file that fills it (``panel.status.setText(...)``, or
``box = self.question; box.setText(...)``), as are the ``neuroview/ui`` classes deriving from
``QLabel`` or ``QMessageBox`` (``StatusLine``: plain) and a form row's label
(``form.labelForField(box).setText(...)``: Qt made it a ``QLabel`` showing HTML).

Not places that show HTML, so not scanned: the status bar (``showMessage``) and a status tip
(``setStatusTip``, shown there): :func:`test_the_status_bar_shows_markup_as_written` measures it.

What the scan still cannot see: a helper's return value is never taken for the program's own text
(``step_name(volume)`` is "Volume" or "Time point", but its form label is plain all the same); a
label reached through a call, a list or a dict (``self.labels[key].setText``) is not followed,
nor a widget handed as an argument to a function of another file that fills it; an attribute's
name stands for every attribute of that name in ``neuroview/ui`` (two classes' ``status``);
texts given by keyword (``QLabel(text=...)``); a model's ``data()`` answering ``Qt.ToolTipRole``
(``neuroview/ui`` has none); the underlined letter ``&`` makes in a button's, a tab's or a menu
item's text (``mnemonics.py``, ``window_open.py`` double it for file names)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PySide6.QtWidgets import QMainWindow

import neuroview

UI = Path(neuroview.__file__).parent / "ui"
TEXT_AT = {"setToolTip": 0, "setWhatsThis": 0, "setInformativeText": 0, "setTabToolTip": 1, "setHtml": 0,
           "setTabWhatsThis": 1, "setItemToolTip": 1, "setLabelText": 0}
TIP_ROLES = ("ToolTipRole", "WhatsThisRole")
STATIC_BOXES = {"warning", "information", "critical", "question", "about"}
QUESTIONS = {"getText", "getItem", "getInt", "getDouble", "getMultiLineText"}
RICH_WIDGETS = ("QLabel", "QMessageBox")
LOOPS = ("enumerate", "zip")


@lru_cache(maxsize=None)
def _parsed(text: str) -> ast.Module:
    """``text``'s tree, parsed once for :func:`ui_widgets` and :func:`rich_text_sinks` both."""
    return ast.parse(text)


def _name(node) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


class _Program:
    """Which names of one function hold only the program's own text."""

    def __init__(self, function) -> None:
        self.bound: dict[str, list] = {}   # name -> its values (None: not known to be text)
        arguments = function.args if function is not None else None
        for argument in (arguments.posonlyargs + arguments.args + arguments.kwonlyargs) if arguments else ():
            self.bound.setdefault(argument.arg, []).append(None)
        for node in ast.walk(function) if function is not None else ():
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(target, node.value)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                self._bind(node.target, getattr(node, "value", None))
            elif isinstance(node, (ast.For, ast.comprehension)):
                self._bind_loop(node.target, node.iter)
            elif isinstance(node, (ast.withitem,)) and node.optional_vars is not None:
                self._bind(node.optional_vars, None)
            elif isinstance(node, ast.NamedExpr):
                self._bind(node.target, node.value)

    def _bind(self, target, value) -> None:
        if isinstance(target, ast.Name):
            self.bound.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = value.elts if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(
                target.elts) else [None] * len(target.elts)
            for each, given in zip(target.elts, values):
                self._bind(each, given)

    def _bind_loop(self, target, iterable) -> None:
        """A loop over a literal tuple or list binds its names to the items' parts; over an
        ALL_CAPS constant (``enumerate``, ``zip``, ``.items()`` of one too) to program text."""
        if isinstance(iterable, (ast.Tuple, ast.List)):
            for item in iterable.elts:
                self._bind(target, item)
        elif isinstance(iterable, ast.Call) and _name(iterable.func) in LOOPS and isinstance(
                target, ast.Tuple):
            parts = ([None] + iterable.args) if _name(iterable.func) == "enumerate" else iterable.args
            for each, given in zip(target.elts, parts):
                if given is None:
                    self._bind(each, None)
                else:
                    self._bind_loop(each, given)
        elif self._constant(iterable):
            for name in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)):
                self.bound.setdefault(name, []).append(ast.Constant(""))
        else:
            for name in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)):
                self.bound.setdefault(name, []).append(None)

    @staticmethod
    def _constant(node) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "items", "values", "keys", "get"):
            node = node.func.value
        return isinstance(node, ast.Name) and node.id.isupper()

    def text(self, node, seen: frozenset = frozenset()) -> bool:
        """Whether ``node`` is the program's own text, or made plain by ``plain_tooltip()``."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            if node.id.isupper():
                return True
            values = self.bound.get(node.id)
            return bool(values) and node.id not in seen and all(
                value is not None and self.text(value, seen | {node.id}) for value in values)
        if isinstance(node, ast.JoinedStr):
            return all(self.text(value, seen) for value in node.values)
        if isinstance(node, ast.FormattedValue):
            return self.text(node.value, seen)
        if isinstance(node, ast.BinOp):
            return self.text(node.left, seen) and self.text(node.right, seen)
        if isinstance(node, ast.IfExp):
            return self.text(node.body, seen) and self.text(node.orelse, seen)
        if isinstance(node, ast.Call) and _name(node.func) == "plain_tooltip":
            return True
        if isinstance(node, ast.Subscript):   # a program's table (TIPS[column], tips[name])
            return self.text(node.value, seen)
        if isinstance(node, ast.DictComp):
            return self.text(node.key, seen) and self.text(node.value, seen)
        if isinstance(node, ast.Call) and _name(node.func) in ("lower", "upper", "capitalize"):
            return self.text(node.func.value, seen)
        return False


def _plain_format(node) -> bool:
    """Whether ``node`` is ``something.setTextFormat(Qt.PlainText)``."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setTextFormat" and bool(node.args) and _name(node.args[0]) == "PlainText")


@dataclass(frozen=True)
class Widgets:
    """What the files of ``neuroview/ui`` make: their classes deriving from ``QLabel`` or
    ``QMessageBox`` that show HTML (``rich_classes``) or not, and the attributes' names that hold
    a label or a message box showing HTML (``rich``) or only ones that never do (``plain``)."""
    rich_classes: frozenset = frozenset()
    plain_classes: frozenset = frozenset()
    rich: frozenset = frozenset()
    plain: frozenset = frozenset()


def ui_widgets(texts) -> Widgets:
    """The labels and message boxes that the sources ``texts`` make and keep in attributes."""
    classes, kept = [], []   # (the file's plain-text receivers, target, made by) of each file
    for tree in (_parsed(text) for text in texts):
        made_plain, assigned = set(), []
        for node in ast.walk(tree):   # one walk: the scan reads every file of neuroview/ui
            if isinstance(node, ast.ClassDef):
                classes.append(node)
            elif _plain_format(node):
                made_plain.add(ast.unparse(node.func.value))
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                made = _name(node.value.func)
                assigned += [(t, made) for t in node.targets if isinstance(t, ast.Attribute)]
        kept += [(made_plain, target, made) for target, made in assigned]
    rich, plain = set(), {"plain_label"}
    for node in classes:
        if any(_name(base) in RICH_WIDGETS for base in node.bases):
            (plain if any(_plain_format(n) for n in ast.walk(node)) else rich).add(node.name)
    kinds: dict[str, set] = {}
    for made_plain, target, made in kept:
        if made in rich | plain | set(RICH_WIDGETS):
            shows = made not in plain and ast.unparse(target) not in made_plain
            kinds.setdefault(target.attr, set()).add(shows)
    return Widgets(frozenset(rich), frozenset(plain - {"plain_label"}),
                   frozenset(a for a, k in kinds.items() if True in k),
                   frozenset(a for a, k in kinds.items() if k == {False}))


def _shows_html(receiver, program, rich: set, plain: set, widgets: Widgets):
    """Whether the label or message box ``receiver`` shows HTML (True), never does (False), or is
    not known to be one (None): made in this file, a form row's label, or an attribute (or a name
    bound to one) that ``neuroview/ui`` keeps a label or message box in."""
    text = ast.unparse(receiver)
    if text in plain:
        return False
    if text in rich or (isinstance(receiver, ast.Call) and _name(receiver.func) == "labelForField"):
        return True
    bound = program.bound.get(getattr(receiver, "id", ""), [])
    kept = [receiver] if isinstance(receiver, ast.Attribute) else [
        value for value in bound if isinstance(value, ast.Attribute)]
    if any(value.attr in widgets.rich for value in kept):
        return True
    return False if kept and all(value.attr in widgets.plain for value in kept) else None


def _given_text(node: ast.Call, program, rich: set[str], plain: set[str], widgets: Widgets):
    """The text a call gives a place that shows HTML, or None."""
    name, args = _name(node.func), node.args
    owner = _name(node.func.value) if isinstance(node.func, ast.Attribute) else ""
    receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
    if name == "setInformativeText" and _shows_html(receiver, program, rich, plain, widgets) is False:
        return None   # a message box's format is its informative text's too
    if name in TEXT_AT and len(args) > TEXT_AT[name]:
        return args[-1]   # QTreeWidgetItem.setToolTip(column, text) too
    if name in ("setItemData", "setData", "setHeaderData") and len(args) >= 2:
        if _name(args[-1]) in TIP_ROLES:   # combo.setItemData(0, text, Qt.ToolTipRole)
            return args[-2]
        if _name(args[0]) in TIP_ROLES:    # item.setData(Qt.ToolTipRole, text)
            return args[1]
    if owner in ("QMessageBox", "QInputDialog") and name in STATIC_BOXES | QUESTIONS and len(args) >= 3:
        return args[2]
    if name == "showText" and owner in ("QToolTip", "QWhatsThis") and len(args) >= 2:
        return args[1]
    if name == "setText" and receiver is not None and _shows_html(receiver, program, rich, plain, widgets):
        return args[0] if args else None
    if name in ("addRow", "insertRow") and len(args) >= (2 if name == "addRow" else 3):
        label = args[0] if name == "addRow" else args[1]   # a string: the row's label (a QLabel)
        return label if isinstance(label, (ast.Constant, ast.JoinedStr, ast.BinOp, ast.Name)) else None
    return None


def _widget_made(program: _Program, node) -> bool:
    """Whether ``node`` is a name bound only to widgets made (``QLabel(...)``, ``plain_label()``)."""
    values = program.bound.get(node.id) if isinstance(node, ast.Name) else None
    return bool(values) and all(isinstance(value, ast.Call) and (
        _name(value.func)[:1].isupper() or _name(value.func) == "plain_label") for value in values)


def _functions(tree):
    """Each function with the calls in it (not in the functions it holds), and the module's own."""
    def calls(body_owner):
        stack = list(ast.iter_child_nodes(body_owner))
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(node, ast.Call):
                yield node
            stack.extend(ast.iter_child_nodes(node))

    yield None, list(calls(tree))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield node, list(calls(node))


def rich_text_sinks(text: str, widgets: Widgets = Widgets()):
    """``(line, call, text)`` for each value that may reach a place showing HTML (``widgets``:
    what the other files of ``neuroview/ui`` make, :func:`ui_widgets`)."""
    tree = _parsed(text)
    made, plain = {}, set()
    showing = set(RICH_WIDGETS) | widgets.rich_classes
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for target in node.targets:
                if _name(node.value.func) in showing:
                    made[node.value] = ast.unparse(target)
                elif _name(node.value.func) in widgets.plain_classes | {"plain_label"}:
                    plain.add(ast.unparse(target))
        if _plain_format(node):
            plain.add(ast.unparse(node.func.value))
    rich = set(made.values()) - plain
    for function, calls in _functions(tree):
        program = _Program(function if not isinstance(function, ast.Lambda) else None)
        for call in calls:
            given = _given_text(call, program, rich, plain, widgets)
            if given is None and _name(call.func) in showing and made.get(call) not in plain:
                given = call.args[2] if _name(call.func) == "QMessageBox" and len(call.args) >= 3 else \
                    call.args[0] if _name(call.func) != "QMessageBox" and call.args else None
            if given is not None and not program.text(given) and not _widget_made(program, given):
                yield call.lineno, _name(call.func), ast.unparse(given)


def test_no_file_value_can_show_as_html():
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(UI.rglob("*.py"))}
    widgets = ui_widgets(texts.values())
    found = [f"  {path.relative_to(UI.parent.parent)}:{line} {call}({given[:80]})"
             for path, text in texts.items() for line, call, given in rich_text_sinks(text, widgets)]
    assert not found, ("texts Qt may show as HTML (plain_label() / setTextFormat(Qt.PlainText), or "
                       "plain_tooltip()):\n" + "\n".join(found))


def test_the_scan_sees_each_kind_of_place():
    source = '''
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox
TIP = "Brush size"

def show(name, parent, item, form, box_text):
    item.setToolTip(name)
    item.setToolTip(plain_tooltip(name))
    item.setToolTip(f"{TIP} ({name})")
    item.setToolTip(f"{TIP} of the pane")
    tree_item.setToolTip(0, name)
    label = QLabel(f"Series {name}")
    quiet = QLabel(name)
    quiet.setTextFormat(Qt.PlainText)
    quiet.setText(name)
    label.setText(name)
    QMessageBox.warning(parent, "Open", name)
    QMessageBox.warning(parent, "Open", plain_tooltip(name))
    box = QMessageBox(QMessageBox.Warning, "Remove", f"Remove {name}?")
    box.setInformativeText(name)
    asked = QMessageBox(QMessageBox.Warning, "Remove", f"Remove {name}?")
    asked.setTextFormat(Qt.PlainText)
    asked.setInformativeText(name)
    QInputDialog.getText(parent, "Skip", name)
    form.addRow(f"{name} is", parent)
    form.addRow("Reader", parent)
    said = plain_label(name)
    form.insertRow(0, said, parent)
    form.insertRow(0, box_text, parent)
    for side, widget in (("Left", parent), ("Right", parent)):
        item.setToolTip(f"{side} pane")
        item.setToolTip(widget)
    for column, (word, tip) in enumerate(TIPS):
        item.setToolTip(tip)
    why = "" if parent else TIP
    item.setToolTip(why)
    combo.setItemData(0, name, Qt.ToolTipRole)
'''
    lines = source.splitlines()
    found = sorted(lines[line - 1].strip() for line, _, _ in rich_text_sinks(source))
    assert found == sorted([
        "item.setToolTip(name)", 'item.setToolTip(f"{TIP} ({name})")', "tree_item.setToolTip(0, name)",
        'label = QLabel(f"Series {name}")', "label.setText(name)",
        'QMessageBox.warning(parent, "Open", name)',
        'box = QMessageBox(QMessageBox.Warning, "Remove", f"Remove {name}?")', "box.setInformativeText(name)",
        'QInputDialog.getText(parent, "Skip", name)', 'form.addRow(f"{name} is", parent)',
        "form.insertRow(0, box_text, parent)",
        "item.setToolTip(widget)", "combo.setItemData(0, name, Qt.ToolTipRole)"])


def test_the_scan_follows_labels_made_in_another_file():
    made_here = '''
from PySide6.QtWidgets import QLabel, QMessageBox

class Said(QLabel):
    pass

class Quiet(QLabel):
    def __init__(self):
        super().__init__()
        self.setTextFormat(Qt.PlainText)

class Panel:
    def __init__(self):
        self.status = QLabel()
        self.said = Said()
        self.quiet = Quiet()
        self.hint = plain_label()
        self.question = QMessageBox()
        self.asked = QMessageBox()
        self.asked.setTextFormat(Qt.PlainText)
'''
    filled_there = '''
def show(panel, name, form, box, item):
    panel.status.setText(name)
    panel.said.setText(name)
    panel.quiet.setText(name)
    panel.hint.setText(name)
    panel.status.setText("Ready")
    question = panel.question
    question.setText(f"Remove {name}?")
    asked = panel.asked
    asked.setText(name)
    asked.setInformativeText(name)
    panel.question.setInformativeText(name)
    form.labelForField(box).setText(name)
    form.labelForField(box).setText("Volume")
    QWhatsThis.showText(box.pos(), name)
    item.setData(Qt.ToolTipRole, name)
    item.setData(Qt.UserRole, name)
    dialog.setLabelText(name)
    label = Said(name)
    box.setText(name)
'''
    widgets = ui_widgets([made_here, filled_there])
    assert widgets.rich == {"status", "said", "question"} and widgets.plain == {"quiet", "hint", "asked"}
    lines = filled_there.splitlines()
    found = sorted(lines[line - 1].strip() for line, _, _ in rich_text_sinks(filled_there, widgets))
    assert found == sorted([
        "panel.status.setText(name)", "panel.said.setText(name)", 'question.setText(f"Remove {name}?")',
        "panel.question.setInformativeText(name)", "form.labelForField(box).setText(name)",
        "QWhatsThis.showText(box.pos(), name)", "item.setData(Qt.ToolTipRole, name)",
        "dialog.setLabelText(name)", "label = Said(name)"])
    assert list(rich_text_sinks(filled_there)) != []   # each file alone: only what it makes itself


def test_the_status_bar_shows_markup_as_written(qtbot):
    """``showMessage`` (and a status tip, which the window shows with it) draws its text as it is
    written: a series described ``<b>T1</b>`` takes as much room as its 9 letters, not as a bold
    ``T1`` (the bar is why the scan above leaves them out)."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(500, 120)
    with qtbot.waitExposed(window):
        window.show()
    window.statusBar().grab()   # the first grab of a new bar drew no text (seen once)
    widths = {}
    for text in ("<b>T1</b>", "T1", "&lt;b&gt;", "<b>"):
        window.statusBar().showMessage(text)
        image = window.statusBar().grab().toImage()
        inked = [x for x in range(image.width()) for y in range(image.height())
                 if image.pixelColor(x, y).lightness() < 100]
        widths[text] = max(inked) - min(inked)
    assert widths["<b>T1</b>"] > 3 * widths["T1"] and widths["&lt;b&gt;"] > 2 * widths["<b>"]
