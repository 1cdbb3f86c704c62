"""Choosing a model and a device: the dialog of AI > Segment and AI > Uncertainty.

The dialog opens at once. The models come from the registry's JSON cards (no torch); the device
each choice resolves to needs torch (several seconds to import on a busy machine), so it is
worked out once on a thread of its own while the dialog is already on screen ("Runs on: checking
..."), and remembered for the rest of the session. Help > About shows the same answer.

The thread is a daemon, not one of the window's jobs: an import cannot be cancelled, and closing
the window waited up to 5 s for it. The window closes at once and the answer is dropped; the
process then ends without finalising the interpreter under the half-done import
(:func:`probe_running`, ``launch.py``), which aborted it (1 close in 20 measured).
"""

from __future__ import annotations

import threading
from typing import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout

from ..core.errors import NeuroviewError, OutsideDomainError
from .plain_text import plain_label

DEVICES = (("auto", "Automatic (GPU when there is one)"), ("cpu", "CPU"), ("cuda", "NVIDIA GPU (CUDA)"),
           ("mps", "Apple GPU (MPS)"))
CHECKING = "checking... (loading the AI runtime)"

_resolved: dict[str, str] = {}
"""What each device choice resolves to on this machine, once the background job has run."""
_waiting: list[tuple[QObject, Callable[[dict[str, str]], None]]] = []
_probe: threading.Thread | None = None


def describe_device(choice: str) -> str:
    """What ``choice`` resolves to on this machine, e.g. ``cuda`` or ``cpu`` (imports torch)."""
    try:
        from ..ai.infer import choose_device

        device = choose_device(choice)
    except NeuroviewError as exc:
        return f"not available: {exc}"
    except Exception as exc:  # torch's own errors (no CUDA build...)
        return f"not available: {type(exc).__name__}: {exc}"
    return str(device)


def resolve_devices(progress=None, cancel=None) -> dict[str, str]:
    """Every device choice and what it resolves to (off the GUI thread: it imports torch)."""
    return {value: describe_device(value) for value, _text in DEVICES}


class _Relay(QObject):
    """Brings the probe thread's answer to the GUI thread (a bound slot of a GUI-thread object:
    Qt queues the call there)."""

    found = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.answer: dict[str, str] = {}
        self.found.connect(self._deliver)

    def _deliver(self) -> None:
        global _probe
        _probe = None
        _resolved.update(self.answer)
        waiting = list(_waiting)
        _waiting.clear()
        for owner, callback in waiting:
            if shiboken6.isValid(owner):   # a closed window's callers are gone: dropped
                callback(dict(_resolved))


_relay: _Relay | None = None


def probe_running() -> bool:
    """Whether the device probe (``import torch``) is still running on its thread."""
    return _probe is not None and _probe.is_alive()


def when_devices_known(owner: QObject, callback: Callable[[dict[str, str]], None]) -> None:
    """Call ``callback(resolved)`` now if the devices are known, else when the probe (started here
    once, on a daemon thread) has found them, unless ``owner`` (the window's runner) is gone."""
    global _relay, _probe
    if _resolved:
        callback(dict(_resolved))
        return
    _waiting.append((owner, callback))
    if _probe is not None:
        return  # asked already: its answer is on its way
    if _relay is None:
        _relay = _Relay()
    relay = _relay

    def probe() -> None:
        try:
            relay.answer = resolve_devices()
        except Exception as exc:  # noqa: BLE001 - said on the dialogs' "Runs on" line
            relay.answer = {value: f"not available: {type(exc).__name__}: {exc}" for value, _text in DEVICES}
        relay.found.emit()

    _probe = threading.Thread(target=probe, name="device probe", daemon=True)
    _probe.start()


def installed_models(window):
    """``(entries, default_ref)`` of the model registry, or None after showing why there are none."""
    try:
        from ..ai.registry import Registry

        registry = Registry()
        # promptable (AI click) models segment one object from prompts, not a whole image
        entries = [e for e in registry.entries() if e.card.training.get("task") != "interactive"]
        default = registry.default_ref()
    except ImportError:
        window.show_error("the AI package is not installed with this neuroview")
        return None
    except NeuroviewError as exc:
        window.show_error(str(exc))
        return None
    if not entries:
        window.show_error("no segmentation model is installed; add one with 'neuroview models add PATH'")
        return None
    return entries, default


def image_domain_of(volume):
    """``ai.domain.ImageDomain`` of the open image as the model would read it (None without one
    or without the AI package): the Segment dialog's note on an image that is not a whole head."""
    if volume is None:
        return None
    try:
        from ..ai.domain import image_domain
    except ImportError:
        return None
    from ..app.view_presets import is_ct

    return image_domain(volume.frame_as_shown(), volume.ijk_to_ras, is_ct(volume))


def refusal_of(volume):
    """A function of a card giving ``ai.domain.out_of_domain``'s line for the open image (None
    without one or without the AI package): the dialog says it and offers no run."""
    if volume is None:
        return None
    try:
        from ..ai.domain import out_of_domain
    except ImportError:
        return None
    from ..app.view_presets import is_ct

    image_is_ct, said = is_ct(volume), {}
    return lambda card: said.setdefault(card.ref, out_of_domain(card, volume, image_is_ct))


class SegmentDialog(QDialog):
    """Model (from the registry, the default first) and device, with the device it resolves to.
    On a CT (``image_is_ct``) a model whose card names no CT input is said to be an MR model
    before it runs (the result's notice said so only afterwards, among its other notes); on an
    image that is not a whole head (``domain``) a head model is said to mean little there. A model
    the image is outside the card's domain of (``refused``, :func:`refusal_of`: a knee for a head
    model) is refused there, its button off, as the run itself would refuse it; *Run anyway*
    runs it all the same (:attr:`anyway`), for a header that names the body
    part wrongly (scanners tag heads SPINE or OTHER)."""

    def __init__(self, entries, default_ref, parent=None, image_is_ct: bool = False,
                 domain=None, refused=None) -> None:
        super().__init__(parent)
        self.anyway = False
        """The person chose *Run anyway* on a refused model."""
        self._cards = {entry.ref: entry.card for entry in entries}
        self._image_is_ct = bool(image_is_ct)
        self._domain = domain   # ai.domain.ImageDomain of the image, or None
        self._refused = refused
        self.setWindowTitle("Segment with a model")
        form = QFormLayout(self)
        self.model_box = QComboBox()
        for entry in entries:
            card = entry.card
            text = f"{card.ref}  ({', '.join(label.name for label in card.labels)})"
            if entry.ref == default_ref:
                text += "  [default]"
            self.model_box.addItem(text, entry.ref)
        index = self.model_box.findData(default_ref)
        self.model_box.setCurrentIndex(max(index, 0))
        self.device_box = QComboBox()
        for value, text in DEVICES:
            self.device_box.addItem(text, value)
        self.device_label = plain_label(CHECKING)
        form.addRow("Model", self.model_box)
        self.steps_label = plain_label()   # the card's steps before the network, as models show says them
        self.steps_label.setStyleSheet("color: palette(placeholder-text)")
        self.steps_label.setWordWrap(True)
        self.steps_label.setMinimumWidth(420)
        form.addRow("", self.steps_label)
        form.addRow("Device", self.device_box)
        form.addRow("Runs on", self.device_label)
        self.ct_label = plain_label()
        self.ct_label.setWordWrap(True)
        self.ct_label.setStyleSheet("color: #b35c00; font-weight: bold")
        form.addRow(self.ct_label)
        self.domain_label = plain_label()   # an image that is not a whole head, for a head model
        self.domain_label.setWordWrap(True)
        self.domain_label.setStyleSheet(self.ct_label.styleSheet())
        form.addRow(self.domain_label)
        self.refused_label = plain_label()   # outside the card's domain: not run
        self.refused_label.setWordWrap(True)
        self.refused_label.setStyleSheet("color: #c0392b; font-weight: bold")
        form.addRow(self.refused_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.run_button = buttons.button(QDialogButtonBox.Ok)
        self.run_button.setText("Segment")
        self.anyway_button = buttons.addButton("Run anyway", QDialogButtonBox.ActionRole)
        self.anyway_button.setToolTip("run the model on this image all the same: its result may mean "
                                      "little; the segments record that the card refused it")
        self.anyway_button.clicked.connect(self._run_anyway)
        self.model_box.currentIndexChanged.connect(self._model_changed)
        self._model_changed()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._resolved: dict[str, str] = {}
        self.device_box.currentIndexChanged.connect(self._device_changed)
        runner = getattr(parent, "runner", None)
        if runner is None:
            self._known(resolve_devices())
        else:
            when_devices_known(runner, self._known)

    def refusal(self) -> str:
        """Why the chosen model will not run on this image ("" when it will)."""
        card = self._cards.get(self.model_box.currentData())
        return "" if card is None or self._refused is None else self._refused(card)

    def ct_warning(self) -> str:
        """Why the chosen model's result on this CT would mean little ("" when it reads CT)."""
        card = self._cards.get(self.model_box.currentData())
        if not self._image_is_ct or card is None or self.refusal():
            return ""
        from ..ai.domain import reads_ct

        if reads_ct(card):   # a CT channel, or CT among its domain's modalities
            return ""
        channels = [str(name) for name in card.input_channels]
        return (f"This image is a CT; {card.ref} was made for MR ({', '.join(channels)}): its "
                "result will mean little.")

    def domain_warning(self) -> str:
        """Why the chosen model's result on this image would mean little because the image is
        not a whole head as the card's ("" when it is, or the card does not say head)."""
        card = self._cards.get(self.model_box.currentData())
        if self._domain is None or card is None or self.ct_warning() or self.refusal():   # said it all
            return ""
        from ..ai.domain import domain_note

        note = domain_note(card, self._domain)
        return note + "." if note else ""

    def steps_text(self) -> str:
        """What the chosen model does to the image before its network (brain extraction), from
        its card: the dialog named the model and its labels only, and a model that strips the
        skull first was told from one that reads the whole image only in AI > Models."""
        from ..ai.card_text import preprocessing_lines
        from ..ai.domain import extraction_skipped

        card = self._cards.get(self.model_box.currentData())
        if card is None:
            return ""
        # on a CT it said "brain extraction first", and the result "brain extraction skipped"
        skipped = "" if self._domain is None else extraction_skipped(self._domain, self._image_is_ct)
        steps = preprocessing_lines(card.preprocessing, skipped)
        return "\n".join(f"before: {line}" for line in steps) or \
            "before: nothing, the network reads the whole image"

    def _model_changed(self) -> None:
        self.steps_label.setText(self.steps_text())
        # as high as its wrapped lines at the width it has (at least 420 px): in the form a
        # wrapped label got one line's height, and the chosen model's second line was cut
        label = self.steps_label
        label.setMinimumHeight(label.heightForWidth(max(label.width(), label.minimumWidth())))
        refusal = self.refusal()
        for label, text in ((self.ct_label, self.ct_warning()), (self.domain_label, self.domain_warning()),
                            (self.refused_label, refusal + "." if refusal else "")):
            label.setText(text)
            label.setVisible(bool(text))
        self.run_button.setEnabled(not refusal)
        self.anyway_button.setVisible(bool(refusal))
        if self.isVisible():
            self.adjustSize()

    def _known(self, resolved: dict[str, str]) -> None:
        self._resolved = resolved
        try:
            self._device_changed()
        except RuntimeError:  # the dialog was closed (and deleted) before the answer came
            pass

    def _device_changed(self) -> None:
        self.device_label.setText(self._resolved.get(self.device_box.currentData(), CHECKING))

    def _run_anyway(self) -> None:
        self.anyway = True
        self.accept()

    def choice(self) -> tuple[str, str]:
        return self.model_box.currentData(), self.device_box.currentData()


def run_anyway_offered(window, text: str, again: Callable[[], object]) -> bool:
    """A run's error ``text`` that is a domain refusal made once the run had looked at the image
    (its brain extraction found no head's brain: an untagged knee) put on the notice bar with
    *Run anyway* (``again``) and *Dismiss*: the person may know better (a head the extraction
    misread, a head tagged KNEE). False for any other error, which the caller shows."""
    if not text.endswith(OutsideDomainError.NOT_RUN):
        return False
    window.notice_bar.show_message(text + ".", [("Run anyway", again), ("Dismiss", lambda: None)])
    return True
