"""A message bar for news and questions (restore?, case added): text plus buttons, never modal,
so the views stay usable while it waits; errors have their own red bar (:class:`MessageBar`).

The bars float over the top of the views (:class:`OverlayStack`), just below the views' title strip,
instead of taking a row of the layout: a notice arriving or leaving never resizes the views, so
nothing under the pointer moves, and the titles (Axial, 3D) and the top orientation letter (A),
drawn in that strip, stay readable under a notice. The bars end above the middle of the top row of
views, where the side letters (R, L) are: a longer text scrolls in its bar (:class:`TextScroll`).
Each bar holds one message (the newest replaces the last); at most the error bar and the notice
bar show, stacked.
"""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea

from ..app.error_paths import short_error
from .mnemonics import lettered, menu_bar_letters, mnemonic
from .plain_text import plain_label, plain_tooltip
from .qt_guard import guard_overrides


class NoticeBar(QFrame):
    answered = Signal()
    """A button was clicked (the bar is gone; the window gives the keys back to the views)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setStyleSheet("NoticeBar { background: #1e3a5a; } QLabel { color: #d7e9ff; }")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self.label = plain_label()   # the text may hold a file's values: never HTML
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._layout.addWidget(TextScroll(self.label), 1)
        self.buttons: dict[str, QPushButton] = {}
        self.question: list[str] = []
        """The lines the buttons answer (restore?, edit here?), shown first; none for news alone."""
        self.question_id = ""
        """The id its asker gave the question waiting (:meth:`ask`), "" when none waits or the
        question came without one (:meth:`show_message`): callers find their question by it, not
        by a button's label, which a translation or a rewording changes."""
        self.news: list[str] = []
        """The lines under the question (a load warning, a time point), a *Dismiss* of their own
        once the question is answered."""
        self.hide()

    def show_message(self, text: str, buttons: Sequence[tuple[str, Callable[[], None]]] = (),
                     tooltip: str = "") -> None:
        """Show ``text`` alone, in place of all the bar showed, with ``buttons`` (label, callback):
        a question, each button taking it away. Without buttons a Dismiss button is shown.
        ``tooltip``: what hovering the text shows (the whole path of a file it names)."""
        if buttons and {label for label, _ in buttons} != {"Dismiss"}:
            self._show([text], [], buttons)
        else:
            self._show([], [text], buttons)
        if tooltip:
            self.label.setToolTip(plain_tooltip(tooltip))

    def ask(self, question: str, buttons: Sequence[tuple[str, Callable[[], None]]], *,
            question_id: str) -> None:
        """The question ``question`` with its ``buttons`` above the news shown, which stays (a
        question waiting is replaced): a button takes away the question alone. ``question_id``
        names it for :meth:`asking`."""
        self._show([question], self.news if self.isVisible() else [], buttons, question_id)

    def asking(self, question_id: str) -> bool:
        """The question asked with ``question_id`` still waits for its answer: not answered,
        dropped or replaced by another (it may be hidden with the bar)."""
        return bool(question_id) and self.question_id == question_id

    def tell(self, text: str) -> None:
        """News that must not replace a question still waiting for its answer (restore?): it is
        added under that question then; else shown as :meth:`show_message` shows it."""
        if self.isVisible() and self.question:
            self._show(self.question, [*self.news, text], None)
        else:
            self.show_message(text)

    def add(self, text: str) -> None:
        """News of the same moment as what the bar shows (a 4D image's time point under its load
        warning or restore question): a line under it, its buttons kept; alone when hidden."""
        if self.isVisible():
            self._show(self.question, [*self.news, text], None)
        else:
            self.show_message(text)

    def replace_line(self, prefixes: tuple[str, ...], text: str) -> bool:
        """Reword the shown line starting with one of ``prefixes``, the other lines and the buttons
        kept; False when no such line shows."""
        if not self.isVisible():
            return False
        for lines in (self.question, self.news):
            for i, line in enumerate(lines):
                if line.startswith(prefixes):
                    lines[i] = text
                    self._say()
                    return True
        return False

    def drop_question(self) -> None:
        """The question is answered (by its button, or as its answer is given otherwise): its lines
        and buttons go, the news under it stays with a *Dismiss*; the bar hides when none."""
        if self.isVisible() and self.news:
            self._show([], self.news, ())
        else:
            self.hide()
            self.question, self.question_id = [], ""

    def _show(self, question, news, buttons, question_id: str = "") -> None:
        """Show ``question`` over ``news`` with ``buttons`` (None: the buttons shown, and the
        question's id, are kept)."""
        self.question, self.news = list(question), list(news)
        if buttons is not None:
            self.question_id = question_id if self.question else ""
            for button in self.buttons.values():
                self._layout.removeWidget(button)
                button.hide()   # out of the layout it would sit at (0, 0) until deleted
                button.deleteLater()
            self.buttons = {}
            pairs = list(buttons) or [("Dismiss", lambda: None)]
            # Alt+letter answers from the keyboard (Alt+R: Restore): the buttons take the focus
            # only when clicked (key_focus), and no key reached them until session 42
            # nor the error bar's Dismiss: the two bars show at once, stacked
            taken = menu_bar_letters(self.window())
            texts = lettered([label for label, _ in pairs], taken | {mnemonic(error_dismiss(taken))})
            for (label, callback), text in zip(pairs, texts):
                button = QPushButton(text)
                button.clicked.connect(lambda _=False, c=callback: self._answer(c))
                self._layout.addWidget(button)
                self.buttons[label] = button
        self._say()
        self.show()

    def _say(self) -> None:
        """Put the lines in the label, each file they name by name and folder (``app.error_paths``;
        ``pump fault in /home/ana/cases/doe/head.nii.gz`` showed whole until session 39), the
        lines as said on hover when that shortened them."""
        whole = "\n".join([*self.question, *self.news])
        shown = short_error(whole)
        self.label.setText(shown)
        self.label.setToolTip(plain_tooltip(whole) if shown != whole else "")

    def _answer(self, callback) -> None:
        """A button: a question's takes away the question alone (its news stays, until dismissed
        or the image changes); the news' own *Dismiss* hides the bar."""
        if self.question:
            self.drop_question()
        else:
            self.hide()
        callback()
        self.answered.emit()

    @property
    def text(self) -> str:
        """The lines as said, their paths whole (the tooltip's text), while the bar is shown."""
        return "\n".join([*self.question, *self.news]) if self.isVisible() else ""

    @property
    def shown(self) -> str:
        """What the bar reads: its lines with their files named short."""
        return self.label.text() if self.isVisible() else ""


@guard_overrides
class TextScroll(QScrollArea):
    """A bar's text: as tall as its lines at the bar's width, scrolled when :class:`OverlayStack`
    gives the bar less room (a long notice, under a long error, at 1366x768)."""

    def __init__(self, label: QLabel) -> None:
        super().__init__()
        self.setWidget(label)
        self.setWidgetResizable(True)
        label.setAutoFillBackground(False)   # setWidget fills it: the bar's colour shows through
        self.viewport().setAutoFillBackground(False)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.NoFocus)   # the keys stay with the views (the wheel scrolls it)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)   # what the bar's layout asks (not hasHeightForWidth)
        self.setSizePolicy(policy)

    def event(self, event) -> bool:
        if event.type() == QEvent.LayoutRequest:   # new text (posted through the viewport):
            self.updateGeometry()                  # the bar is placed again at its new height
            self._scroll_if_cut()
        return super().event(event)

    def _scroll_if_cut(self) -> None:
        """A scroll bar only where the lines at the bar's whole width do not fit its height. Left
        to Qt, one shown while the new text waited for the bar to grow stayed: the text, narrower
        by the scroll bar, wrapped a line more than the bar was grown to, scrolled out of sight
        beside *Dismiss* (a notice of two lines, the second near the bar's width: 5 window widths
        in 200 cut it)."""
        fits = self.widget().heightForWidth(self.width()) <= self.height()
        policy = Qt.ScrollBarAlwaysOff if fits else Qt.ScrollBarAsNeeded
        if self.verticalScrollBarPolicy() != policy:
            self.setVerticalScrollBarPolicy(policy)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.widget().heightForWidth(width)

    def sizeHint(self) -> QSize:
        return self.widget().sizeHint()

    def minimumSizeHint(self) -> QSize:   # one line
        return QSize(0, self.widget().fontMetrics().lineSpacing())

    def resizeEvent(self, event) -> None:
        """Scrolled, it shows whole lines: no line cut in half at its bottom edge. (The viewport's
        resizes come here too: the sizes are the scroll area's own.)"""
        self._scroll_if_cut()
        line = self.widget().fontMetrics().lineSpacing()
        self.verticalScrollBar().setSingleStep(line)
        height = self.height()
        cut = height % line if self.widget().heightForWidth(self.width()) > height else 0
        if self.viewportMargins().bottom() != cut:
            self.setViewportMargins(0, 0, 0, cut)
        super().resizeEvent(event)


@guard_overrides
class OverlayStack(QObject):
    """Keeps ``bars`` (children of ``host``) stacked over the top of ``host`` from ``top`` pixels down
    (below the views' titles), full width, in order, outside any layout: showing, hiding or
    rewording a bar never moves the host's other children. ``end()``: the host's row the bars end
    above; a bar taller than its share of the room scrolls its text (each keeps one line)."""

    placed = Signal()
    """The bars were placed anew (one shown, hidden, reworded, or the host resized)."""

    def __init__(self, host, bars, top: int = 0, end=None) -> None:
        super().__init__(host)
        self.host, self.top, self.end = host, int(top), end
        self.bars = list(bars)
        for bar in self.bars:
            bar.setParent(host)
            bar.installEventFilter(self)
        host.installEventFilter(self)
        self.place()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Resize, QEvent.Show, QEvent.Hide, QEvent.LayoutRequest):
            self.place()
        return False

    def place(self) -> None:
        width = self.host.width()
        room = (self.end() if self.end is not None else self.host.height()) - self.top
        shown = [bar for bar in self.bars if bar.isVisibleTo(self.host)]
        heights = []
        for bar in shown:
            if bar.layout() is not None:
                bar.layout().invalidate()   # its text may have changed while it was hidden
            hint = bar.layout().totalHeightForWidth(width) if bar.layout() else -1
            heights.append(hint if hint > 0 else bar.sizeHint().height())
        if sum(heights) > room:   # shared: a bar needing less than its share keeps its height
            for done, n in enumerate(sorted(range(len(shown)), key=heights.__getitem__)):
                share = room // (len(shown) - done)
                heights[n] = max(shown[n].minimumSizeHint().height(), min(heights[n], share))
                room -= heights[n]
        y = self.top
        for bar, height in zip(shown, heights):
            bar.setGeometry(0, y, width, height)
            if bar.layout() is not None:
                # Placed from its own Show event, a bar gets no Resize event (Qt sent the
                # pending ones just before): its layout stayed at the 640x480 of a new widget
                # and the text lay below the bar's bottom, out of sight.
                bar.layout().setGeometry(bar.rect())
            bar.raise_()
            y += height
        self.placed.emit()

    def covered_to(self, widget) -> int:
        """The row of ``widget`` (its own pixels) down to which the bars shown cover it, 0 where
        none does: what it draws for the user to read goes below (a ruler's length)."""
        bottom = 0
        for bar in self.bars:
            if bar.isVisibleTo(self.host):
                box = bar.geometry().translated(-widget.mapTo(self.host, widget.rect().topLeft()))
                if box.intersects(widget.rect()):
                    bottom = max(bottom, box.bottom() + 1)
        return bottom


def error_dismiss(menu_letters: set[str]) -> str:
    """The error bar's *Dismiss*, with its letter: none of the menu bar's, and not D, left to the
    notice bar's *Discard* and *Dismiss* shown with it (the red bar's had no letter until session
    42: Alt+I now)."""
    return lettered(["Dismiss"], menu_letters | {"d"})[0]


class MessageBar(QFrame):
    """The one place errors appear: file and problem, until dismissed or the next success."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setStyleSheet("MessageBar { background: #5a1e1e; } QLabel { color: #ffd7d7; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = plain_label()   # the text may hold a file's values: never HTML
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.clicked.connect(self.hide)
        layout.addWidget(TextScroll(self.label), 1)
        layout.addWidget(self.dismiss)
        self.hide()

    def show_error(self, text: str, image=None) -> None:
        """Show ``text``, each file it names by name and folder (``app.error_paths``: beside
        ``image``, the path of the image on screen, when there); the whole message on hover."""
        self._text = text
        self.dismiss.setText(error_dismiss(menu_bar_letters(self.window())))   # its menus built now
        shown = short_error(text, image)
        self.label.setText(shown)
        self.label.setToolTip(plain_tooltip(text) if shown != text else "")
        self.show()

    @property
    def text(self) -> str:
        """The message as raised, its paths whole (the tooltip's text), while the bar is shown."""
        return getattr(self, "_text", self.label.text()) if self.isVisible() else ""

    @property
    def shown(self) -> str:
        """What the bar reads: the message with its files named short."""
        return self.label.text() if self.isVisible() else ""
