"""Follow-up without brain masks: the brain of each whole head is extracted by deepbet, used for
registration and brain volume change, saved in ``masks/`` and named in the report.

The heads are the MNI brain in a synthetic skull and scalp (``neuroview.ai.heads``) in a field of
view as tight as a scan's (``followup_cases.head_in_its_field``), read at about 2 mm (so that
deepbet works on a small grid); the later heads are turned and shifted, on another grid.
"Atrophy" is the brain's outer two millimetres turned into CSF.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

pytest.importorskip("torch")
pytest.importorskip("deepbet")

from neuroview.app.followup import load_study  # noqa: E402
from neuroview.app.followup_brain import BRAIN_EXTRACTED  # noqa: E402
from neuroview.core.errors import Cancelled  # noqa: E402
from neuroview.core.jobs import CancelToken  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.io.nifti import load_nifti, save_nifti  # noqa: E402
from tests.app.followup_cases import grid, head_in_its_field, rigid, sample  # noqa: E402

CSF_T1 = 0.18 * 600  # heads.TISSUE_CONTRAST["csf"] T1, at the heads' scale


@pytest.fixture(scope="module")
def head_studies(tmp_path_factory):
    """Files of a 2 mm baseline head, the same head turned and shifted on a 2.2 x 1.9 x 2.1 mm
    grid, and that head with its brain eroded by two voxels (1 mm each) into CSF; plus the share
    of the brain the erosion removed."""
    from neuroview.ai.heads import synthetic_head

    head = head_in_its_field(synthetic_head("t1", skull=True))
    source = Volume(head.image, head.ijk_to_ras)
    eroded_brain = ndimage.binary_erosion(head.brain, iterations=2)
    atrophy = head.image.copy()
    atrophy[head.brain & ~eroded_brain] = CSF_T1
    removed = 1.0 - eroded_brain.sum() / head.brain.sum()
    folder = tmp_path_factory.mktemp("heads")
    b_shape, b_affine = grid(source, (2.0, 2.0, 2.0))
    f_shape, f_affine = grid(source, (2.2, 1.9, 2.1), (5.0, -3.0, 4.0))
    to_source = np.linalg.inv(rigid((8.0, -5.0, 10.0), (10.0, -8.0, 12.0), source.center_ras))
    images = {"t1": (sample(source, b_shape, b_affine), b_affine),
              "t2": (sample(source, f_shape, f_affine, to_source), f_affine),
              "t3": (sample(Volume(atrophy, head.ijk_to_ras), f_shape, f_affine, to_source), f_affine)}
    for name, (image, affine) in images.items():
        save_nifti(image, affine, folder / f"{name}.nii.gz")
        save_nifti(np.zeros(image.shape, np.uint8), affine, folder / f"{name}_lesions.nii.gz")
    return folder, removed


@pytest.fixture(scope="module")
def registered_once():
    """Registration of identical inputs done once in this module
    (:func:`tests.registration_reuse.registrations_reused`). Yields the calls answered so."""
    from tests.registration_reuse import registrations_reused

    with registrations_reused({}) as reused:
        yield reused


def test_brain_is_extracted_for_registration_and_brain_volume_change(head_studies, tmp_path, capsys,
                                                                      registered_once):
    from neuroview.cli.main import main

    folder, removed = head_studies
    out = tmp_path / "out"
    code = main(["followup", *(str(folder / f"{n}.nii.gz") for n in ("t1", "t2", "t3")),
                 "--labels-baseline", str(folder / "t1_lesions.nii.gz"),
                 "--labels", str(folder / "t2_lesions.nii.gz"), str(folder / "t3_lesions.nii.gz"),
                 "--device", "cpu", "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    changes = [float(line.split("brain volume change ")[1].split(" %")[0])
               for line in printed.out.splitlines() if line.startswith("follow-up ")]
    assert len(changes) == 2, printed.out
    assert abs(changes[0]) < 1.0                   # the same head, other pose and grid
    assert changes[1] < -0.25 * 100 * removed      # two voxels of the brain's surface gone
    assert f"brain masks: {BRAIN_EXTRACTED}" in printed.out

    # the masks used are written beside the lesion tables, on each study's grid, and hold a brain
    for number in (1, 2, 3):
        mask = load_nifti(out / "masks" / f"tp{number}_brain_deepbet.nii.gz")
        study = load_nifti(folder / f"t{number}.nii.gz")
        assert np.allclose(mask.ijk_to_ras, study.ijk_to_ras) and mask.shape == study.shape
        ml = np.count_nonzero(mask.array) * abs(np.linalg.det(mask.ijk_to_ras[:3, :3])) / 1000
        assert 1500 < ml < 2300
    report = (out / "report.html").read_text()
    assert f"Brain masks: {BRAIN_EXTRACTED}." in report
    assert f"{changes[1]:+.2f} % (repeatability" in report

    # the old ways still work: a given brain mask wins over extraction, nothing extracted
    save_nifti(load_nifti(out / "masks" / "tp1_brain_deepbet.nii.gz").array, load_nifti(
        folder / "t1.nii.gz").ijk_to_ras, tmp_path / "b1.nii.gz")
    save_nifti(load_nifti(out / "masks" / "tp2_brain_deepbet.nii.gz").array, load_nifti(
        folder / "t2.nii.gz").ijk_to_ras, tmp_path / "b2.nii.gz")
    given = tmp_path / "given"
    code = main(["followup", str(folder / "t1.nii.gz"), str(folder / "t2.nii.gz"),
                 "--labels-baseline", str(folder / "t1_lesions.nii.gz"),
                 "--labels", str(folder / "t2_lesions.nii.gz"), "--brain-baseline",
                 str(tmp_path / "b1.nii.gz"), "--brain", str(tmp_path / "b2.nii.gz"), "--out", str(given)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    # given masks count their voxels on each study's grid (no extraction on one grid)
    v1, v2 = (np.count_nonzero(load_nifti(tmp_path / f"b{n}.nii.gz").array)
              * abs(np.linalg.det(load_nifti(folder / f"t{n}.nii.gz").ijk_to_ras[:3, :3])) for n in (1, 2))
    assert f"brain volume change {100 * (v2 - v1) / v1:+.2f} %" in printed.out
    assert "brain masks: given by the user" in printed.out
    assert not (given / "masks").exists()


def test_brain_extraction_reports_progress_and_stops_on_cancel(head_studies):
    folder, _ = head_studies
    cancel, messages = CancelToken(), []

    def progress(done, total, text):
        messages.append(text)
        if "extracting the brain" in text:
            cancel.cancel()   # the user presses Cancel while deepbet runs

    with pytest.raises(Cancelled):
        load_study(folder / "t1.nii.gz", folder / "t1_lesions.nii.gz", name="baseline",
                   device="cpu", progress=progress, cancel=cancel)
    assert messages == ["baseline: extracting the brain (deepbet)"]
    _, study = load_study(folder / "t1.nii.gz", folder / "t1_lesions.nii.gz", name="baseline",
                          extract=False)
    assert study.brain is None and study.brain_source == "none"
