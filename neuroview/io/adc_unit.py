"""The unit of an ADC map's voxels (apparent diffusion coefficient), shown after its values in the
status bar, the rectangle and ellipse figures and a segment's statistics, as a PACS labels a
diffusion series' ADC: ``812 ×10⁻⁶ mm²/s``. Until session 50 they were bare numbers.

An ADC map is known by its DICOM ImageType naming the map (Siemens ``DERIVED\\PRIMARY\\DIFFUSION\\
ADC``, Philips ``DERIVED\\PRIMARY\\ADC``: ``fields.image_kind`` reads it, as dcm2niix splits its
series) or, where ImageType does not (GE's ``DERIVED\\SECONDARY``), by its SeriesDescription
(``ADC``, Philips' ``dADC``, GE's ``Apparent Diffusion Coefficient (mm2/s)``); a trace image
(ISOTROPIC, TRACEW: the diffusion-weighted signal, which dcm2niix names ``_ADC`` for Philips) and
an exponential ADC (``EADC``, a ratio with no unit) are not. A NIfTI's are its JSON sidecar's
(dcm2niix writes ``ImageType`` and ``SeriesDescription`` there).

The vendors store ADC as whole numbers in 10⁻⁶ mm²/s (Siemens, GE and Philips maps: brain about
700-900, CSF about 3000); a map written by other software holds mm²/s (0.0008) or 10⁻³ mm²/s
(0.8). Which is told by the size of its values: the 99th percentile of its voxels above 0 (the
brightest tissue, CSF, 0.003 mm²/s; noise can run past it). A NIfTI with no sidecar that says
(none, or one without ImageType and SeriesDescription) is an ADC map where its file name or its
header's description says ``ADC`` (dcm2niix's ``_ADC``), its unit told from its values only where
they are an ADC map's size, and said so (:func:`unit_from_values`): until session 51 it had none."""

from __future__ import annotations

import re

import numpy as np

DESCRIPTION = re.compile(r"(?<![A-Z0-9])(?:D?ADC|APPARENT[ _]DIFFUSION)(?![A-Z0-9])")
"""Words of a SeriesDescription naming an ADC map (matched on its upper case)."""
NOT_ADC = {"TRACE", "EADC", "FA", "isotropic"}
"""The derived maps of a diffusion series other than ADC (``fields.image_kind``; a Philips trace
image: ``vendor_fields.ISOTROPIC``, not imported: ``io.dicom`` loads through this module)."""
MM2_S, MILLI, MICRO = "mm²/s", "×10⁻³ mm²/s", "×10⁻⁶ mm²/s"


def names_adc(description, derived: str) -> bool:
    """Whether a series of SeriesDescription ``description`` whose ImageType names the derived
    map ``derived`` (``fields.image_kind``'s second value: ``"ADC"``, ``"TRACE"``, ``"derived"``,
    ``""`` for an ORIGINAL image) is an ADC map (see the module's text)."""
    if derived in NOT_ADC:
        return False
    return derived == "ADC" or bool(DESCRIPTION.search(str(description or "").upper()))


TYPICAL = {MM2_S: (0.0003, 0.007), MILLI: (0.3, 7.0), MICRO: (300.0, 7000.0)}
"""The 99th percentile of an ADC map's voxels above 0 in each unit, twice the brain's range
either way (CSF about 3000 ×10⁻⁶ mm²/s, 0.003 mm²/s): a map named ADC by its file name alone
whose values fall outside every range gets no unit (:func:`unit_from_values`)."""


def _high(array) -> float | None:
    """The 99th percentile of ``array``'s voxels above 0 (every other one along each axis)."""
    values = np.asarray(array)[::2, ::2, ::2].astype(np.float64, copy=False)
    values = values[np.isfinite(values) & (values > 0)]
    return float(np.percentile(values, 99)) if values.size else None


def _by_size(high: float) -> str:
    return MM2_S if high < 0.05 else MILLI if high < 50 else MICRO


def adc_unit(array) -> str:
    """The unit of the ADC map ``array`` by the size of its values; ``""`` for an empty map."""
    high = _high(array)
    return "" if high is None else _by_size(high)


def unit_from_values(array, name: str) -> tuple[str, str]:
    """``(unit, line)`` for the image ``array`` of the file ``name`` that its name or its header's
    description calls ADC (dcm2niix's ``_ADC``) with no dcm2niix sidecar to say what it holds: the
    unit its values' size gives where they are an ADC map's size in it (:data:`TYPICAL`), and a
    line for the user saying the unit was told from the values (or why none was given): such a
    file may also be a Philips trace image (signal, no unit), which dcm2niix names ``_ADC`` too."""
    high = _high(array)
    if high is None:
        return "", ""
    unit = _by_size(high)
    if not TYPICAL[unit][0] <= high <= TYPICAL[unit][1]:
        return "", (f"{name}: named ADC, but 99% of its voxels above 0 are under {high:.4g}, no "
                    "ADC map's values in mm²/s, ×10⁻³ or ×10⁻⁶ mm²/s: shown without a unit")
    return unit, (f"{name}: ADC in {unit}, told from the values (99% of its voxels above 0 under "
                  f"{high:.4g}): named ADC with no dcm2niix sidecar to say what it holds (a "
                  "Philips trace image, named _ADC too, holds signal)")
