"""Every menu path README.md names (``*File > Save labels...* (Ctrl+S)``) is in the window's menu
bar, and a key the README gives a menu action (``*Ruler* (F3``, ``**Shift+E** (*Edit > ...*``) is
one of that action's shortcuts.

The README called the segmentation action *AI > Segment* fifteen times (the menu says *Segment
with a model...*) and opening *File > Open* (the menu has *Open file(s)...* and *Open folder /
DICOM...*)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent.parent / "README.md"
MENU_PATH = re.compile(r"\*([A-Z][^*>]*?(?: > [^*>]+)+)\*(?: \(([^)]*)\))?")
KEY = re.compile(r"(?:(?:Ctrl|Shift|Alt)\+)*(?:F\d{1,2}|[A-Z0-9]|[.,/\[\]])")
_KEY = r"(?:(?:Ctrl|Shift|Alt)\+)+(?:F\d{1,2}|[A-Z0-9]|[.,/\[\]]|Right|Left|Up|Down|Tab)|F\d{1,2}"
# *Ruler* (F3) / *File > Send to training set...* (Ctrl+Shift+T, ...); **Shift+E** (*Edit > ...*
NAME_THEN_KEY = re.compile(rf"\*([^*]{{2,60}})\*\s*\(({_KEY})[,)]")
KEYS_THEN_PATH = re.compile(rf"\*\*({_KEY}(?: / {_KEY})*)\*\*\s*\(\*([^*]+ > [^*]+)\*")


def _readme_text() -> str:
    text = re.sub(r"^```.*?^```", "", README.read_text(encoding="utf-8"), flags=re.S | re.M)
    return re.sub(r"\s+", " ", text)


def readme_menu_paths() -> list[tuple[list[str], str]]:
    """(path, key or "") for each ``*A > B > C*`` outside code blocks, line breaks made spaces."""
    out = []
    for path, after in MENU_PATH.findall(_readme_text()):
        key = after if after and KEY.fullmatch(after) else ""
        out.append(([part.strip() for part in path.split(" > ")], key))
    return out


def _find(menu, name: str, last: bool):
    for action in menu.actions():
        text = action.text().replace("&", "")
        if text == name or (last and text.removesuffix("...") == name):
            return action
    return None


def test_the_readme_names_menu_paths_and_keys():
    paths = readme_menu_paths()
    assert (["AI", "Segment with a model..."], "Ctrl+Shift+S") in paths
    assert (["Help", "Keyboard shortcuts"], "") in paths      # written across a line break
    assert len(paths) > 40


def test_every_menu_path_of_the_readme_is_in_the_window(qtbot, window):
    bar = window.menuBar()
    titles = {a.text().replace("&", "") for a in bar.actions() if a.menu() is not None}
    missing, wrong_keys, checked = [], [], 0
    for path, key in readme_menu_paths():
        if path[0] not in titles:   # another program's menu (Slicer's *Islands > ...*)
            continue
        checked += 1
        menu, action = bar, None
        for i, name in enumerate(path):
            action = _find(menu, name, last=i == len(path) - 1)
            if action is None:
                missing.append(" > ".join(path))
                break
            menu = action.menu()
            if menu is None and i < len(path) - 1:
                missing.append(" > ".join(path))
                action = None
                break
        if action is not None and key:
            shortcuts = [s.toString() for s in action.shortcuts()]
            if key not in shortcuts:
                wrong_keys.append(f"{' > '.join(path)} ({key}): the window has {shortcuts}")
    assert checked > 40
    assert not missing, f"README names menu items the window does not have: {sorted(set(missing))}"
    assert not wrong_keys, f"README gives other keys than the window: {wrong_keys}"


def readme_keys() -> list[tuple[str, str]]:
    """(action name or path, key) for each key the README gives a named action."""
    text = _readme_text()
    pairs = [(name, key) for name, key in NAME_THEN_KEY.findall(text)]
    for keys, path in KEYS_THEN_PATH.findall(text):
        pairs += [(path, key) for key in keys.split(" / ")]
    return pairs


def _menu_actions(menu, path=()):
    for action in menu.actions():
        text = action.text().replace("&", "")
        if action.menu() is not None:
            yield from _menu_actions(action.menu(), path + (text,))
        elif text:
            yield path + (text,), action


def test_every_key_the_readme_gives_a_menu_action_is_its_shortcut(qtbot, window):
    actions = list(_menu_actions(window.menuBar()))
    pairs = readme_keys()
    named = {name for name, _ in pairs}
    assert "Ruler" in named and "Edit > Erase every segment / only the selected one" in named
    wrong = []
    for name, key in pairs:
        parts = tuple(part.strip() for part in name.split(" > "))
        found = [a for path, a in actions if path[-len(parts):] == parts
                 or path[-len(parts):] == parts[:-1] + (parts[-1] + "...",)]
        if not found:
            wrong.append(f"{name} ({key}): no such menu action")
        elif key not in (shortcuts := [s.toString() for a in found for s in a.shortcuts()]):
            wrong.append(f"{name} ({key}): the window has {shortcuts}")
    assert len(pairs) > 10
    assert not wrong, f"README gives keys the window does not: {wrong}"


# keys the README names that are no window shortcut, on purpose: Ctrl+C stops a command in a
# terminal, Shift+Tab moves the focus (Qt's own), Shift+F10 is the focused view's own (its menu,
# test_view_menu_key.py)
NOT_SHORTCUTS = {"Ctrl+C", "Shift+Tab", "Shift+F10"}


def test_every_key_combination_the_readme_names_is_a_window_shortcut(qtbot, window):
    """``Ctrl+Shift+U``, ``Alt+Right``, ``F6`` ... anywhere in the README (mouse gestures such as
    Ctrl+wheel are not keys)."""
    from PySide6.QtGui import QAction, QKeySequence, QShortcut

    have = {s.toString() for a in window.findChildren(QAction) for s in a.shortcuts()}
    have |= {s.key().toString() for s in window.findChildren(QShortcut)}
    have |= {QKeySequence.mnemonic(a.text()).toString() for a in window.menuBar().actions()}  # Alt+F
    window.notice_bar.ask("Restore?", [("Restore", print), ("Discard", print)], question_id="keys")
    have |= {QKeySequence.mnemonic(b.text()).toString() for b in window.notice_bar.buttons.values()}
    window.show_error("Unreadable: no such file")   # the red bar's Dismiss (Alt+I)
    have.add(QKeySequence.mnemonic(window.message_bar.dismiss.text()).toString())
    keys = set(re.findall(r"(?<![\w+])((?:(?:Ctrl|Shift|Alt)\+)+(?:F\d{1,2}|[A-Z0-9]|[.,/\[\]]|Right|"
                          r"Left|Up|Down|Tab)(?![\w+])|F(?:[2-9]|1[0-2]?)(?![\w+]))", _readme_text()))
    assert {"Ctrl+Shift+U", "Alt+Right", "F6"} <= keys
    missing = sorted(keys - have - NOT_SHORTCUTS)
    assert not missing, f"README names keys the window does not have: {missing}"
