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
brightest tissue, CSF, 0.003 mm²/s; noise can run past it)."""

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


def adc_unit(array) -> str:
    """The unit of the ADC map ``array`` by the size of its values; ``""`` for an empty map."""
    values = np.asarray(array)[::2, ::2, ::2].astype(np.float64, copy=False)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return ""
    high = float(np.percentile(values, 99))
    return MM2_S if high < 0.05 else MILLI if high < 50 else MICRO
