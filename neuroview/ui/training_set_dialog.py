"""Send to training set's dialog: where the case goes (an existing dataset, or a new one: its name
and labels, a segment never renamed offered a label a model can give its output), by whom, and,
when the dataset already holds the image, whether to replace its label.
``actions_training.TrainingActions`` opens it and adds the case."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
)

from ..app.error_paths import short_error
from ..app.last_dataset import remembered_dataset
from ..app.reader_name import proposed_annotator
from ..app.shown_time import shown_time
from ..core.errors import NeuroviewError
from ..dataset.channels import MR_CHANNEL
from ..dataset.layout import read_dataset
from ..dataset.segment_labels import proposed_labels
from .dialog_parts import row
from .path_edit import PathEdit, local_path
from .plain_text import plain_label, plain_tooltip
from .qt_guard import guard_overrides


@guard_overrides
class TrainingSetDialog(QDialog):
    """Where to add the case (an existing dataset, or a new one: name and labels) and by whom.

    Send does not close it: it emits ``submitted(choice)``; the dialog closes when the case was
    added (:meth:`finish`), and an error is shown inside it (:meth:`show_error`), with everything
    typed kept, so the user can fix it and send again. When the dataset already holds this image,
    :meth:`ask_replace` says so in the dialog and turns Send into Replace."""

    submitted = Signal(dict)

    def __init__(self, segment_names, channel: str = "", parent=None, model_labels=None,
                 annotator: str = "", annotator_note: str = "") -> None:
        super().__init__(parent)
        self.model_labels = model_labels   # (ref, label names) of the default model, if known
        self.setWindowTitle("Send to training set")
        remembered = remembered_dataset()
        form = QFormLayout(self)
        self.folder_edit = PathEdit(remembered.get("dataset", ""))   # a folder dropped on it too
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._browse)
        form.addRow("Dataset folder", row(self.folder_edit, browse))
        self.create_check = QCheckBox("Create a new dataset in this folder")
        self.name_edit = QLineEdit("Lesions")
        # a segment never renamed ("Segment 1") is offered a name a model can later give it
        self.renamed = proposed_labels(segment_names, model_labels[1] if model_labels else ())
        self.labels_edit = QLineEdit(",".join(["background"] + [self.renamed.get(n, n)
                                                                for n in segment_names]))
        # a new dataset's channel: the series' contrast (FLAIR, T1...) or modality, as proposed
        # by ``actions_training``; the user edits it
        self.channel_edit = QLineEdit(channel or MR_CHANNEL)
        for widget in (self.name_edit, self.labels_edit, self.channel_edit):
            widget.setEnabled(False)
            self.create_check.toggled.connect(widget.setEnabled)
        # greyed (an existing dataset): that dataset's own values, not a new one's proposals
        self.proposed = [self.name_edit.text(), self.labels_edit.text(), self.channel_edit.text()]
        self.showing_dataset = False
        self.create_check.toggled.connect(self._show_values)
        self.folder_edit.textChanged.connect(self._show_values)
        form.addRow(self.create_check)
        form.addRow("Name", self.name_edit)
        form.addRow("Labels", self.labels_edit)
        form.addRow("Channel", self.channel_edit)
        # ``annotator``: who made these labels when the window knows it (an adjudicated case's
        # adjudicator, the annotator who saved the labels file loaded, unchanged), else the
        # annotator last given, the reader's name, the login name; ``annotator_note`` says why
        self.usual_annotator = proposed_annotator()
        self.file_annotator = annotator if annotator_note else ""
        self.annotator_edit = QLineEdit(annotator or self.usual_annotator)
        form.addRow("Annotator", self.annotator_edit)
        self.annotator_note = plain_label(annotator_note)   # names from a labels file's sidecar
        self.annotator_note.setWordWrap(True)
        self.annotator_note.setVisible(bool(annotator_note))
        form.addRow(self.annotator_note)
        self.error_label = plain_label()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e05050;")
        self.error_label.hide()
        form.addRow(self.error_label)
        self.labels_note = plain_label()   # a new dataset labelled otherwise than the default model
        self.labels_note.setWordWrap(True)
        self.labels_note.setStyleSheet("color: #e0a030;")
        self.labels_note.hide()
        form.addRow(self.labels_note)
        self.renamed_note = plain_label()   # "Segment 1" sent as the label proposed for it
        self.renamed_note.setWordWrap(True)
        self.renamed_note.hide()
        form.addRow(self.renamed_note)
        self.create_check.toggled.connect(self._say_renamed)
        self.labels_edit.textChanged.connect(self._say_renamed)
        self.create_check.toggled.connect(self._check_labels)
        self.labels_edit.textChanged.connect(self._check_labels)
        self.replacing = ""     # the case whose label Send replaces, once the user was told
        self.replacing_added = ""   # ... and the version of it the user was told of
        self.replace_label = plain_label()
        self.replace_label.setWordWrap(True)
        self.replace_label.setStyleSheet("color: #e0a030;")
        self.replace_label.hide()
        form.addRow(self.replace_label)
        self.folder_edit.textChanged.connect(self._forget_replace)
        self.label_boxes = {}   # segment name -> the dataset label chosen for it (ask_labels)
        self.label_question = plain_label()
        self.label_question.setWordWrap(True)
        self.label_question.setStyleSheet("color: #e0a030;")
        self.label_question.hide()
        form.addRow(self.label_question)
        self.folder_edit.textChanged.connect(self._forget_labels)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.send_button = buttons.button(QDialogButtonBox.Ok)
        self.send_button.setText("Send")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, self.fitting_height(560))   # 280 left 81 px empty below the buttons
        self._show_values()

    def fitting_height(self, width: int) -> int:
        """The height its rows take at ``width``: a message shown (an error, the replace or label
        question, wrapped) makes it taller, and gone, shorter again."""
        height = self.heightForWidth(width)   # the size hint's is the wrapped lines' at its own width
        return height if height > 0 else self.sizeHint().height()

    def event(self, event) -> bool:
        done = super().event(event)
        if event.type() == QEvent.LayoutRequest:   # a message shown or hidden, a row added
            self.resize(self.width(), self.fitting_height(self.width()))
        return done

    def _show_values(self) -> None:
        """Name, Labels and Channel: a new dataset's (proposed or typed, kept while an existing
        one is shown), or, greyed, those of the dataset in the folder (its dataset.json): it showed
        the proposals for a new one there, "MR" for a dataset whose channel is "MRI"."""
        edits = (self.name_edit, self.labels_edit, self.channel_edit)
        if self.create_check.isChecked():
            if self.showing_dataset:
                for edit, text in zip(edits, self.proposed):
                    edit.setText(text)
                self.showing_dataset = False
            self.name_edit.setPlaceholderText("")
            return
        if not self.showing_dataset:
            self.proposed = [edit.text() for edit in edits]
            self.showing_dataset = True
        folder, values, problem = local_path(self.folder_edit.text()), ("", "", ""), ""
        try:
            values = dataset_values(folder) if folder else values
        except (NeuroviewError, OSError) as exc:   # what Send would say: none, or two to choose from
            problem = getattr(exc, "message", "") or "no dataset here"
        for edit, text in zip(edits, values):
            edit.setText(text)
        self.name_edit.setPlaceholderText(problem)

    def _check_labels(self) -> None:
        """A new dataset whose labels are not the default model's cannot fine-tune that model
        (``neuroview train --base`` refuses other label names): say so before cases are sent."""
        known = self.model_labels
        labels = [n.strip().lower() for n in self.labels_edit.text().split(",") if n.strip()]
        differ = (known is not None and self.create_check.isChecked()
                  and [n for n in labels if n != "background"] != [n.lower() for n in known[1]])
        if differ:
            self.labels_note.setText(
                f"The default model {known[0]} segments {', '.join(known[1])}: Train model... can "
                f"fine-tune it only on a dataset labelled background,{','.join(known[1])}; with these "
                "labels it trains a new model from scratch.")
        self.labels_note.setVisible(differ)

    def renamed_now(self) -> dict[str, str]:
        """Segments never renamed -> the new dataset's label proposed for each, while that label
        is still in *Labels* (and the segment's own name is not)."""
        labels = {n.strip().lower() for n in self.labels_edit.text().split(",")}
        if not self.create_check.isChecked():
            return {}
        return {segment: label for segment, label in self.renamed.items()
                if label.lower() in labels and segment.lower() not in labels}

    def _say_renamed(self) -> None:
        renamed = self.renamed_now()
        self.renamed_note.setText("; ".join(
            f"'{segment}' was never renamed: it is sent as '{label}'" for segment, label in
            renamed.items()) + " (the name a model trained on this dataset gives it; type "
            "another in Labels)")
        self.renamed_note.setVisible(bool(renamed))

    def accept(self) -> None:
        """Send: check what was typed, then ask for the case to be added (the dialog stays)."""
        choice = self.choice()
        problem = ("choose a dataset folder" if not choice["folder"] else
                   "give the new dataset a name" if choice["create"] and not choice["name"] else
                   "list the new dataset's labels, background first"
                   if choice["create"] and len(choice["labels"]) < 2 else "")
        if problem:
            self.show_error(problem)
            return
        self.error_label.hide()
        self.send_button.setEnabled(False)
        self.send_button.setText("Sending...")
        self.submitted.emit(choice)

    def show_error(self, text: str) -> None:
        """``text`` with each file it names by name and folder, as the window's red bar shows
        errors (``app.error_paths``); the whole message on hover."""
        shown = short_error(text)
        self.error_label.setText(shown)
        self.error_label.setToolTip(plain_tooltip(text) if shown != text else "")
        self.error_label.show()
        self.send_button.setEnabled(True)
        self.send_button.setText("Replace" if self.replacing else "Send")

    def ask_replace(self, record, dataset_name: str, now=None) -> None:
        """The dataset holds this image as ``record.case``: say so; Send becomes Replace. Asked
        again when another annotator sent the image since (a newer version: its time and name).
        When it was added reads in local time, ``09:12 today`` (``now``: the clock, for tests)."""
        self.replacing, self.replacing_added = record.case, record.version
        by = f" by {record.annotator}" if record.annotator else ""
        added = shown_time(record.added_at, now)   # not the file's '2026-12-02 05:40 UTC'
        self.replace_label.setText(
            f"This image is already in {dataset_name} as {record.case} (added {added}{by}). "
            f"Replace sends this label in its place: {record.case} keeps its id and its fold, and "
            "its earlier label is no longer used for training. Cancel keeps it as it is.")
        self.replace_label.show()
        self.send_button.setEnabled(True)
        self.send_button.setText("Replace")

    def ask_labels(self, segments, labels, dataset_name: str) -> None:
        """Segments ``segments`` are not named like a label of the dataset: ask which label each
        is (a box per segment, offering ``labels``: the dataset's, then its background); Send
        sends with the labels chosen."""
        self._forget_labels()
        form = self.layout()
        self.label_question.setText(
            f"{', '.join(repr(n) for n in segments)} {'are' if len(segments) > 1 else 'is'} not a label "
            f"of {dataset_name}: which label {'is each' if len(segments) > 1 else 'is it'}? "
            "(Send sends it as the label chosen, background leaving it out, as a Grow from seeds "
            "seed segment around a lesion; this window remembers the choice.)")
        self.label_question.show()
        for name in segments:
            box = QComboBox()
            box.addItems(list(labels))
            box.setAccessibleName(f"Label for {name}")
            self.label_boxes[name] = box
            said = plain_label(f"{name} is")   # the segment's name as its labels file has it
            said.setBuddy(box)   # as a row named by text has it
            form.insertRow(form.rowCount() - 1, said, box)
        self.send_button.setEnabled(True)
        self.send_button.setText("Replace" if self.replacing else "Send")

    def _forget_labels(self) -> None:
        """Another folder: its labels differ; the question goes (Send asks again if need be)."""
        form = self.layout()
        for box in self.label_boxes.values():
            form.removeRow(box)
        self.label_boxes = {}
        self.label_question.hide()

    def _forget_replace(self) -> None:
        if self.replacing:
            self.replacing = self.replacing_added = ""
            self.replace_label.hide()
            self.send_button.setText("Send")

    def finish(self) -> None:
        super().accept()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Dataset folder", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def choice(self) -> dict:
        return {"folder": local_path(self.folder_edit.text()), "create": self.create_check.isChecked(),
                "name": self.name_edit.text().strip(),
                "labels": [n.strip() for n in self.labels_edit.text().split(",") if n.strip()],
                "channel": self.channel_edit.text().strip() or MR_CHANNEL,
                "annotator": self.annotator_edit.text().strip(), "replace": self.replacing,
                # a labels file's author sent as proposed: the next dialog proposes the usual name
                "remember_as": (self.usual_annotator if self.file_annotator
                                and self.annotator_edit.text().strip() == self.file_annotator
                                else None),
                "replace_added": self.replacing_added,
                "label_for": {**self.renamed_now(),
                              **{name: box.currentText() for name, box in self.label_boxes.items()}}}


def dataset_values(folder: str) -> tuple[str, str, str]:
    """(name, labels, channels) of the dataset in ``folder`` as its dataset.json gives them, labels
    in value order and channels in channel order, comma-separated; DatasetError when there is none."""
    info = read_dataset(folder)
    labels = sorted(info.labels, key=info.labels.get)
    channels = [info.channel_names[key] for key in sorted(info.channel_names, key=int)]
    return info.name, ",".join(labels), ",".join(channels)


def default_model_labels():
    """``(ref, label names)`` of the default segmentation model (its JSON card), or None."""
    try:
        from ..ai.registry import Registry

        registry = Registry()
        ref = registry.default_ref()
        return (ref, [label.name for label in registry.get(ref).card.labels]) if ref else None
    except (ImportError, NeuroviewError):
        return None
