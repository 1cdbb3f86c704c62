"""AI > Models' *Measure on a dataset...*: both selected models run on one dataset's held-out
split in a ``neuroview models compare`` process; its Dice appear in the compare view and are
used by Promote (a part of ``models_dialog.ModelsDialog``, which builds the bar and buttons)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ..ai.card_names import UNNAMED_DATASET
from ..app.shown_path import short_path
from ..app.shown_time import shown_time
from ..core.workspace_names import os_reason
from .plain_text import plain_tooltip
from .qt_guard import guard_overrides

MEASURING = "Measuring is running: wait for it, or Cancel measuring"
"""Why *Measure on a dataset...* is greyed out while it runs (its tooltip)."""


@guard_overrides
class ModelsMeasuring:
    """Measuring both models; closing the dialog while it runs asks first and stops it."""

    @property
    def measuring(self) -> bool:
        return self.measure_runner.running

    def _show_measuring(self, running: bool) -> None:
        self.measure_bar.setVisible(running)
        self.cancel_measure_button.setVisible(running)
        self.cancel_measure_button.setEnabled(running)

    def measure_dialog(self) -> None:
        refs = self.selected_refs()
        if len(refs) != 2:
            return
        from ..app.last_dataset import remembered_dataset

        folder = QFileDialog.getExistingDirectory(self, "Dataset whose held-out split both models run on",
                                                  remembered_dataset().get("dataset", ""))
        if folder:
            self.measure(refs[0], refs[1], folder)

    def measure(self, ref_a: str, ref_b: str, dataset: str, device: str = "auto") -> None:
        """Run ``neuroview models compare A B --dataset DIR`` in its own process (torch stays out of
        the window); its progress lines move the bar, *Cancel measuring* (or closing the dialog)
        stops it; the Dice it writes appear in the compare view and are used by Promote."""
        if self.measuring:
            return
        import tempfile

        self.measure_json = Path(tempfile.mkdtemp(prefix="neuroview-measure-")) / "measured.json"
        self.measure_refs, self.measure_lines = (ref_a, ref_b, dataset), []
        self.measure_bar.setRange(0, 0)   # busy until the first progress line
        self._show_measuring(True)
        self.status_label.setText(f"Measuring {ref_a} and {ref_b} on the held-out split of "
                                  f"{short_path(dataset)}...")
        self.measure_button.setEnabled(False)
        self.measure_button.setToolTip(MEASURING)
        self.measure_runner.start(["models", "compare", ref_a, ref_b, "--dataset", dataset,
                                   "--device", device, "--json", str(self.measure_json)])

    def cancel_measure(self) -> None:
        self.measure_runner.cancel()

    def reject(self) -> None:
        """Close, Esc and the title bar's close come here: while measuring, ask whether to stop it
        (Close stopped it without a word, unlike Rank and Train); *Keep measuring* keeps the
        dialog open."""
        if self.measuring:
            ref_a, ref_b, _ = self.measure_refs
            done, total = self.measure_bar.value(), self.measure_bar.maximum()
            where = f" ({done} of {total} runs on held-out cases done)" if total else ""
            if not self.stop_question.ask(
                    "Measuring running", f"Measuring {ref_a} and {ref_b} is still running{where}.",
                    "Closing the dialog stops it (Measure on a dataset... starts it again).",
                    "Stop measuring", "Keep measuring"):
                return
        super().reject()

    def hideEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        """Closed (Close, Esc, the title bar: asked first) while measuring, or the window closing:
        the measurement stops with it, not left running unseen (a minimised window hides
        spontaneously and goes on)."""
        if not event.spontaneous():
            self.cancel_measure()
        super().hideEvent(event)

    def _measure_progress(self, done: float, total: float, text: str) -> None:
        self.measure_bar.setRange(0, max(int(total), 1))
        self.measure_bar.setValue(int(done))
        if text and done < total:
            self.status_label.setText(f"Measuring: {text}")

    def _measure_lines_append(self, text: str) -> None:
        self.measure_lines.append(text)

    def _measure_failed(self, reason: str) -> None:
        self.status_label.setText(f"cannot start the measuring process ({reason})")
        self._measure_done()

    def _measure_done(self) -> None:
        import shutil

        if self.measure_json is not None:
            shutil.rmtree(self.measure_json.parent, ignore_errors=True)
            self.measure_json = None
        self._show_measuring(False)
        self._selection_changed()

    def _measured(self, code: int, crashed: bool) -> None:
        from ..core.jsonfile import read_json

        ref_a, ref_b, dataset = self.measure_refs
        lines = self.measure_lines
        if self.measure_runner.cancelled:
            self.status_label.setText(f"Measuring {ref_a} and {ref_b} cancelled.")
            self._measure_done()
            return
        result = None
        if code == 0 and not crashed and self.measure_json is not None:
            try:
                result = read_json(self.measure_json)
            except (OSError, ValueError) as exc:
                # a temporary file of the run: its reason, not its path
                lines.append(f"the measurement could not be read back ({os_reason(exc)})")
        try:
            self.take_measurement(result, ref_a, ref_b, dataset)
        except (TypeError, KeyError, ValueError, AttributeError):
            errors = [line for line in lines if line.startswith("neuroview: ")]
            reason = (errors or lines or ["the measuring process was killed or crashed" if crashed
                                          else f"exit code {code}"])[-1]
            self.status_label.setText("Measuring failed: " + reason)
        self._measure_done()

    def take_measurement(self, result: dict, ref_a: str, ref_b: str, dataset: str) -> None:
        """What ``models compare --dataset --json`` wrote: both models' Dice per label and
        lesion-wise figures on one held-out split, used by the compare view and Promote."""
        models = result["models"]
        # None: a label no held-out case holds (Dice not measured)
        found = {ref: [None if v is None else float(v) for v in models[ref]["dice"]]
                 for ref in (ref_a, ref_b)}
        lesionwise = {ref: dict(models[ref].get("lesionwise") or {}) for ref in (ref_a, ref_b)}
        self.measured, self.measured_lesionwise = found, lesionwise
        self.measured_cases = int(result["cases"])
        lesions = lesionwise[ref_a].get("lesions")
        self.measured_lesions = None if lesions is None else int(lesions)
        # the dataset's own folder, as the child resolved it: given the folder holding it, the
        # line said "on raw split ..." (the chosen folder's name) instead of Dataset501_...
        # (a folder not named DatasetNNN_Name is DATASET in the file, which may be shared: the
        # window names the folder the user chose)
        named = result.get("dataset")
        named = named if named and named != UNNAMED_DATASET else Path(dataset).name
        self.measured_on = f"{named} split {result['split']}"
        reused = [f"{ref}'s figures of {shown_time(str(models[ref]['reused_from']))}"   # local time
                  for ref in (ref_a, ref_b) if models[ref].get("reused_from")]
        reused = (f" ({' and '.join(reused)} reused: the same model files and dataset content)"
                  if reused else "")
        refused = {case: why for ref in (ref_a, ref_b)
                   for case, why in dict(models[ref].get("refused") or {}).items()}
        apart = (f" Not scored, refused by the model's card: {', '.join(refused)}." if refused else "")
        self.status_label.setText(f"Measured {ref_a} and {ref_b} on {self.measured_on}{reused}.{apart}")
        reasons = "\n".join(f"{case}: {why}" for case, why in refused.items())
        self.status_label.setToolTip(plain_tooltip(reasons))   # the refusals whole, on hover
