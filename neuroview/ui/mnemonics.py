"""Every menu item gets an underlined letter (a mnemonic), none twice in one menu, so a keyboard
user opens *File* with Alt+F and then picks *Quit* with its letter, as in any desktop program.

The menus are built in many modules; letters are given here, once the menus are built, and again
when a menu opens (an item added or renamed later gets one too). A letter written in an item's
own text (``&Open``) is kept; the others take, in the menu's order, the first free letter that
starts the item's first word, else one that starts another word, else any letter of it, each
leaving the items after it as many letters as they can have (*File*'s 23 items all get one)."""

from __future__ import annotations

import functools

from PySide6.QtGui import QKeySequence

LETTER_KEYS = (
    ("Alt+underlined letter", "Open that menu; in an open menu, an item's letter alone picks it"),
    ("Alt+underlined letter", "Press that button of the bars over the views (Restore, Discard, Dismiss)"),
)
"""The letters' keys, for *Help > Keyboard shortcuts*."""

DONE = "_mnemonics_given"   # a menu's property: its aboutToShow already gives letters


def mnemonic(text: str) -> str:
    """The lower-case letter ``text`` underlines ("" for none); ``&&`` is a plain ``&``."""
    key = QKeySequence.mnemonic(text)
    return key.toString().lower()[-1:] if not key.isEmpty() else ""


def _letters(text: str) -> list[tuple[int, int]]:
    """(rank, index) of each letter or digit of ``text``: 0 starts the first word, 1 starts
    another word, 2 elsewhere; an escaped ``&&`` is skipped, and so is a key written after a tab
    (``Undo the last mark\\tCtrl+Z``)."""
    text = text.split("\t")[0]
    out, i, word_start = [], 0, True
    while i < len(text):
        char = text[i]
        if char == "&":   # "&&": one plain ampersand (a mnemonic is never here: none was found)
            i += 2
            word_start = True
            continue
        if char.isascii() and char.isalnum():
            out.append((0 if not out else 1 if word_start else 2, i))
            word_start = False
        else:
            word_start = char in " /(-"
        i += 1
    return out


def _matching_size(options: list[list[str]], used: set[str]) -> int:
    """How many of the items (each a list of its letters) can have a letter of their own, none
    in ``used``: a maximum bipartite matching, by augmenting paths."""
    owner: dict[str, int] = {}

    def place(n: int, seen: set[str]) -> bool:
        for letter in options[n]:
            if letter not in used and letter not in seen:
                seen.add(letter)
                if letter not in owner or place(owner[letter], seen):
                    owner[letter] = n
                    return True
        return False

    return sum(place(n, set()) for n in range(len(options)))


def _chosen(texts: list[str], used: set[str]) -> dict[int, int]:
    """Item number -> index of its letter in its text: as many items as can have a letter of
    their own get one, and each, in the menu's order, its most preferred letter that leaves
    that many possible (first come, first served left *Close* and *Mark not done* without one
    in the File menu). Remembered per texts and letters taken: every window asks the same for
    its menus, and each menu again as it opens (the matchings took 4-5 of the window's 90 ms
    of CPU to make, show and close, bench/window_start.py)."""
    return dict(_chosen_once(tuple(texts), frozenset(used)))


@functools.lru_cache(maxsize=512)
def _chosen_once(texts: tuple[str, ...], used: frozenset[str]) -> tuple[tuple[int, int], ...]:
    indices = [[i for _, i in sorted(_letters(text))] for text in texts]
    options = [[text[i].lower() for i in found] for text, found in zip(texts, indices)]
    used, chosen = set(used), {}
    left = _matching_size(options, used)
    for n in range(len(texts)):
        for i, letter in zip(indices[n], options[n]):
            if letter in used:
                continue
            later = options[n + 1:]   # a letter no later item has takes none from them
            if not any(letter in o for o in later) or _matching_size(later, used | {letter}) == left - 1:
                used.add(letter)
                chosen[n], left = i, left - 1
                break
    return tuple(chosen.items())


def give_mnemonics(menu, skip=()) -> None:
    """Give each item of ``menu`` and of its sub-menus a letter of its own (``skip``: menus left
    as they are, as *Recent*, whose items are file names). Idempotent."""
    if menu in skip:
        return
    actions = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    used = {mnemonic(a.text()) for a in actions} - {""}
    wanting = [a for a in actions if not mnemonic(a.text())]
    for n, i in _chosen([a.text() for a in wanting], used).items():
        text = wanting[n].text()
        wanting[n].setText(f"{text[:i]}&{text[i:]}")
    for action in actions:
        if action.menu() is not None:
            give_mnemonics(action.menu(), skip)
    if hasattr(menu, "aboutToShow") and not menu.property(DONE):
        menu.setProperty(DONE, True)
        menu.aboutToShow.connect(lambda: give_mnemonics(menu, skip))


def lettered(texts: list[str], taken=frozenset()) -> list[str]:
    """``texts`` (plain: an ``&`` in them is shown as itself) for buttons side by side, each with a
    letter of its own that ``taken`` does not hold, where one is left."""
    escaped = [text.replace("&", "&&") for text in texts]
    chosen = _chosen(escaped, set(taken))
    return [f"{t[:chosen[n]]}&{t[chosen[n]:]}" if n in chosen else t for n, t in enumerate(escaped)]


def menu_bar_letters(window) -> set[str]:
    """The letters Alt takes to ``window``'s menu bar (none for a window without one)."""
    bar = window.menuWidget() if hasattr(window, "menuWidget") else None
    actions = bar.actions() if bar is not None else []
    return {mnemonic(a.text()) for a in actions} - {""}
