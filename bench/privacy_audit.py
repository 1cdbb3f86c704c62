"""Privacy audit: use neuroview as a user does on a study full of markers, then search all it wrote.

Writes the marked DICOM study of ``tests/marked_study.py`` (every identifying attribute a unique
string) and a second series of the same patient (its own series UIDs), runs the headless verbs
on them with Python logging at DEBUG (info, convert, snapshot, one with the second series
overlaid, segment, dataset init/add/list/rank, followup, train --base --keep-worse (its card),
models show/compare --json, pacs add/echo/store/find/get/readers/adjudicate/worklist against a
local Orthanc by DIMSE and DICOMweb, error paths with and without NEUROVIEW_DEBUG=1 tracebacks),
saves a session's crash journal, labels (NIfTI, MetaImage ``.mha`` and ``.mhd``, ``.seg.nrrd``,
each then read by ``info -v``) and DICOM SEGs (to a file and to the PACS) through the API,
adjudicates two readers' local SEGs into the training set (searched for the SEGs' UIDs
too), loads a label file named after the patient (``ZZSECRET^PATIENT_labels.nii.gz``, as PACS
exports name files) onto an image, edits, saves and sends it to the training set before the
fine-tune, and gives it to ``followup`` (with the window's *Lesion masks* line), ``snapshot``
and ``convert``, and then searches every file written (the NEUROVIEW_HOME tree and the outputs: names,
bytes, decompressed ``.gz``, PNG text, PDF text, zip members, DICOM elements as pydicom prints
them) and every command's stdout and stderr for each marker: log lines strictly; a command's own
output may show what the README says it shows (``info`` the series and study description, date
and time; ``pacs find`` its results). Hits the README states as intended (the private link file,
a DICOM SEG's patient and study, convert's file names, the PACS cache and retrieved files, the
worklist's case names) are counted apart (``STATED_FILES``). Exported files are read back with
nibabel and highdicom. Exit 1 when anything leaks or an export is not valid.

    nice -n 5 python bench/privacy_audit.py [--keep] [--skip-train] [--skip-pacs]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.marked_study import DATES, TEXT, TIMES, UIDS, another_series, markers, sop_uid, write_marked_study  # noqa: E402

RUNNER = ("import logging, sys; logging.basicConfig(level=logging.DEBUG); "
          "from neuroview.cli.main import main; sys.exit(main(sys.argv[1:]))")
LOG_LINE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL):", re.MULTILINE)
UID_ROOT = "1.2.826.0.1.3680043.8.498.4711"
LABEL_FILE = "ZZSECRET^PATIENT"
"""A label file's name as a PACS export names it after the patient (``ZZSECRET^PATIENT_labels.nii.gz``):
shown on screen, never in what leaves the machine (README, *Names of label files you load*)."""
ALL = frozenset([*markers(), LABEL_FILE])

# What a DICOM SEG keeps by design (README, "Security and privacy"): the patient and study that
# file it in the patient's record on the PACS, and the UIDs of the images it refers to.
SEG_KEEPS = {
    *TEXT["PatientName"].split("^"), TEXT["PatientName"], TEXT["PatientID"], TEXT["AccessionNumber"],
    TEXT["StudyID"], *TEXT["ReferringPhysicianName"].split("^"), TEXT["ReferringPhysicianName"],
    TEXT["IssuerOfPatientID"], DATES["PatientBirthDate"], DATES["StudyDate"], TIMES["StudyTime"],
    TIMES["StudyTime"].split(".")[0], *UIDS.values(), *(sop_uid(k) for k in range(40)), UID_ROOT,
}
# The private link file holds the way back to the source, on purpose (README, training data).
LINK_KEEPS = {TEXT["PatientID"], TEXT["IssuerOfPatientID"], TEXT["AccessionNumber"], DATES["StudyDate"],
              UIDS["StudyInstanceUID"], UIDS["SeriesInstanceUID"], UID_ROOT}
# What `info` and the series chooser show to tell series apart (README, "Opening studies").
INFO_SHOWS = {TEXT["SeriesDescription"], TEXT["StudyDescription"], "1917-06-11", "13:47:13"}
STATED_FILES = (  # (pattern of the path under home/ or out/, markers it may hold, why)
    (r"home/private-links/.*\.json$", LINK_KEEPS, "the private link file"),
    (r"out/.*seg.*\.dcm$", SEG_KEEPS, "a DICOM SEG's patient and study"),
    (r"out/converted/007_ZQSERIESDESCMK\.(nii\.gz|json)$", {TEXT["SeriesDescription"]},
     "convert names a folder's files NNN_SeriesDescription, as dcm2niix"),
    (r"out/followup[^/]*/report\.(html|pdf)$", {TEXT["SeriesDescription"]},
     "the follow-up report names each study by its series description (README, Follow-up)"),
    (r"home/workspaces/", {LABEL_FILE}, "the crash journal names a loaded label file, for Restore"),
    (r"home/pacs-cache/", ALL, "the PACS cache holds the retrieved DICOM files"),
    (r"out/pacs-get", ALL, "pacs get writes the retrieved DICOM files"),
    (r"out/worklist/1\.2\.[0-9.]+/", ALL, "pacs worklist retrieves the DICOM files"),
    (r"out/worklist/worklist-.*\.csv$", {"1917-06-11", TEXT["SeriesDescription"], UIDS["SeriesInstanceUID"],
                                        UID_ROOT}, "a worklist names cases by study date and series"),
)


def _contents(path: Path) -> list[bytes]:
    data = path.read_bytes()
    found = [data]
    if path.name.endswith(".gz"):
        try:
            found.append(gzip.decompress(data))
        except (OSError, EOFError):
            pass
    if path.suffix == ".png":
        from PIL import Image

        with Image.open(path) as image:
            found.append(repr(image.info).encode())
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        found.append("".join(page.extract_text() for page in PdfReader(path).pages).encode())
    if zipfile.is_zipfile(path):   # .npz (a workspace's base), .zip
        with zipfile.ZipFile(path) as archive:
            found.extend(archive.read(name) for name in archive.namelist())
    if data[128:132] == b"DICM":
        import pydicom

        found.append(str(pydicom.dcmread(path)).encode())
    return found


def search_files(root: Path, needles) -> list[tuple[str, str]]:
    """``(path relative to root, marker)`` for each marker in a path or a file's content (as
    stored, decompressed, PNG text chunks, PDF text, zip members, DICOM elements as pydicom
    prints them)."""
    hits = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            relative = str(path.relative_to(root))
            blobs = [b.lower() for b in _contents(path)]
            for needle in needles:
                if needle in relative or any(needle.lower().encode() in b for b in blobs):
                    hits.append((relative, needle))
    return hits


def search_text(text: str, needles) -> list[str]:
    low = text.lower()
    return [n for n in needles if n.lower() in low]


class Audit:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.home = work / "home"
        self.out = work / "out"
        self.home.mkdir()
        self.out.mkdir()
        self.env = dict(os.environ, NEUROVIEW_HOME=str(self.home), PYTHONPATH=str(REPO),
                        QT_QPA_PLATFORM="offscreen")
        self.transcripts = work / "transcripts"
        self.transcripts.mkdir()
        self.leaks: list[tuple[str, str]] = []
        self.shown: list[tuple[str, str]] = []
        self.commands = 0

    def _check_output(self, command: str, text: str, shows) -> None:
        (self.transcripts / f"{self.commands:02d}.txt").write_text(f"{command}\n\n{text}")
        logs = "\n".join(line for line in text.splitlines() if LOG_LINE.match(line))
        said = "\n".join(line for line in text.splitlines() if not LOG_LINE.match(line))
        self.leaks += [(f"log of `{command}`", n) for n in search_text(logs, ALL)]
        for needle in search_text(said, ALL):
            (self.shown if needle in shows else self.leaks).append((f"output of `{command}`", needle))

    def cli(self, *args: str, shows=(), debug: bool = False, expect: int | None = 0) -> str:
        """Run ``neuroview ARGS`` with Python logging at DEBUG; ``shows``: markers its output
        shows on purpose (never in a log line)."""
        env = dict(self.env, NEUROVIEW_DEBUG="1") if debug else self.env
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run([sys.executable, "-c", RUNNER, *args], env=env, cwd=self.work,
                              capture_output=True, text=True, timeout=1800)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        text = proc.stdout + proc.stderr
        command = " ".join(a.replace(str(self.work), "W") for a in args)
        self.commands += 1
        self._check_output(command, text, shows)
        state = "ok" if expect is None or proc.returncode == expect else "UNEXPECTED EXIT"
        print(f"  {state} rc={proc.returncode} {cpu:5.1f} CPU s  {command[:100]}", flush=True)
        if state != "ok":
            print(text[-1500:])
        return text

    def python(self, what: str, code: str, shows=()) -> str:
        proc = subprocess.run([sys.executable, "-c", "import logging; logging.basicConfig("
                               "level=logging.DEBUG)\n" + code], env=self.env, cwd=self.work,
                              capture_output=True, text=True, timeout=1800)
        self.commands += 1
        self._check_output(what, proc.stdout + proc.stderr, shows)
        print(f"  {'ok' if proc.returncode == 0 else 'FAILED'} rc={proc.returncode} {what}", flush=True)
        if proc.returncode:
            print(proc.stderr[-1500:])
        return proc.stdout


def run_paths(audit: Audit, study: Path, cleaned: Path, second: Path, train: bool) -> None:
    out = audit.out
    audit.cli("info", str(study), shows=INFO_SHOWS)
    audit.cli("info", "-v", str(study), shows=INFO_SHOWS)
    audit.cli("convert", str(study), str(out / "convert.nii.gz"))
    audit.cli("convert", str(study), str(out / "converted"), shows={TEXT["SeriesDescription"]})
    audit.cli("snapshot", str(study), "--out", str(out / "snapshot.png"))
    audit.cli("snapshot", str(study), "--view", "four-up", "--out", str(out / "fourup.png"))
    audit.cli("segment", str(study), "-o", str(out / "seg.nii.gz"), "--report", str(out / "seg.csv"),
              "--device", "cpu")
    (out / "cases.csv").write_text(f"path\n{study}\n{second}\n")
    audit.cli("segment", str(out / "cases.csv"), "-o", str(out / "batch"), "--device", "cpu")
    second_labels = next((out / "batch").glob("*study2*.nii.gz"))
    audit.cli("snapshot", str(study), "--labels", str(out / "seg.nii.gz"), "--out", str(out / "lab.png"))
    audit.cli("snapshot", str(study), "--overlay", str(second), "--out",
              str(out / "overlay.png"))
    audit.cli("convert", str(study), str(out / "withlabels.nii.gz"), "--labels", str(out / "seg.nii.gz"))
    audit.cli("dataset", "init", str(out / "datasets"), "--name", "Audit", "--labels",
              "background,lesion", "--channels", "T1")
    dataset = next((out / "datasets").glob("Dataset*"))
    # the study says its pixels show identifying text: refused; exports with the text removed
    # (BurnedInAnnotation NO, the same header otherwise) are added
    for image, labels, expect in ((study, out / "seg.nii.gz", 1), (cleaned, out / "seg.nii.gz", 0),
                                  (second, second_labels, 0)):
        audit.cli("dataset", "add", str(dataset), "--image", str(image), "--labels", str(labels),
                  "--proposal", str(labels), "--model", "lesionseg@2.5.1", "--annotator", "reader1",
                  "--editing-seconds", "30", expect=expect)
    audit.cli("dataset", "list", str(dataset))
    unlabelled = write_marked_study(audit.work / "in" / "unlabelled" / "study3", variant=2).parent
    audit.cli("dataset", "rank", str(dataset), "--cases", str(unlabelled), "--flips", "none,0",
              "--output", str(out / "rank.csv"), "--device", "cpu")
    audit.cli("followup", str(study), str(second), "--labels-baseline", str(out / "seg.nii.gz"),
              "--labels", str(second_labels), "--no-brain-extraction",
              "--out", str(out / "followup"))
    label_name_paths(audit, cleaned, second, second_labels)
    if train:
        audit.cli("train", "--dataset", str(dataset), "--base", "lesionseg", "--out", "auditseg",
                  "--epochs", "1", "--iterations", "2", "--device", "cpu", "--keep-worse")
        audit.cli("models", "list")
        audit.cli("models", "show", "auditseg")
        audit.cli("models", "compare", "lesionseg", "auditseg", "--dataset", str(dataset),
                  "--json", str(out / "compare.json"), "--device", "cpu")
    # error paths: one line, and with NEUROVIEW_DEBUG=1 the traceback
    broken = study.parent.parent / "broken"
    shutil.copytree(study, broken)
    cut = sorted(broken.glob("*.dcm"))[3]
    cut.write_bytes(cut.read_bytes()[:2000])
    (broken / "IM0005.dcm").write_bytes(b"\0" * 128 + b"DICM" + b"\xff" * 300)
    for debug in (False, True):
        audit.cli("info", str(broken), shows=INFO_SHOWS, debug=debug, expect=None)
        audit.cli("convert", str(broken), str(out / f"broken{int(debug)}.nii.gz"), debug=debug, expect=None)
        audit.cli("dataset", "add", str(dataset), "--image", str(cleaned), "--labels",
                  str(out / "snapshot.png"), debug=debug, expect=None)
        audit.cli("dataset", "add", str(dataset), "--image", str(cleaned), "--labels",
                  str(out / "convert.nii.gz"), debug=debug, expect=None)
        audit.cli("segment", str(study), "-o", str(out / "x.nii.gz"), "--model", "nosuchmodel",
                  debug=debug, expect=None)
        audit.cli("followup", str(study), str(broken), "--labels-baseline",
                  str(out / "snapshot.png"), "--labels", str(out / "seg.nii.gz"), "--out",
                  str(out / f"fu-error{int(debug)}"), debug=debug, expect=None)


def label_name_paths(audit: Audit, cleaned: Path, second: Path, second_labels: Path) -> None:
    """A label file named after the patient (:data:`LABEL_FILE`), beside the inputs: loaded onto
    another image of the patient as the window does, edited, saved, sent to the training set (the
    card of the fine-tune after learns from it), stated in a follow-up report's *Lesion masks* as
    the window's *Open follow-up* states it, drawn by ``snapshot`` and written by ``convert``."""
    named = audit.work / "in" / "named" / f"{LABEL_FILE}_labels.nii.gz"
    named.parent.mkdir(parents=True)
    shutil.copy(audit.out / "seg.nii.gz", named)
    image = write_marked_study(audit.work / "in" / "named" / "study4", variant=4, burned_in="NO")
    out = audit.out
    printed = audit.python("api: a label file named after the patient", f"""
from pathlib import Path
from neuroview.app.case import Case
from neuroview.io import load
from neuroview.ui.followup_prefill import labels_made_by, on_screen_masks
image, named, out = Path({str(image)!r}), Path({str(named)!r}), Path({str(out)!r})
volume = load(str(image))
case = Case.open(volume)
case.session.load_labels(named)
value = case.session.segments.add('edge').value
case.session.apply('paint', at_ras=volume.center_ras, segment=value, radius_mm=3.0)
case.save_labels(out / 'named-saved.nii.gz')
names = {{s.name: 'lesion' for s in case.session.segments}}
dataset = next((out / 'datasets').glob('Dataset*'))
print('sent as', case.send_to_training_set(dataset, label_for=names).case)
print('MASKS', on_screen_masks('baseline', labels_made_by(case.session), False))
case.close()
""")
    masks = next((line[len("MASKS "):] for line in printed.splitlines() if line.startswith("MASKS ")), "")
    if not masks:
        audit.leaks.append(("api: a label file named after the patient", "no Lesion masks line made"))
    audit.cli("followup", str(cleaned), str(second), "--labels-baseline", str(named), "--labels",
              str(second_labels), "--masks-by", masks, "--no-brain-extraction", "--out",
              str(out / "followup-named"))
    audit.cli("snapshot", str(image), "--labels", str(named), "--out", str(out / "named.png"))
    audit.cli("convert", str(image), str(out / "named-with-labels.nii.gz"), "--labels", str(named))


def write_out_of_format(folder: Path) -> Path:
    """The marked study as some exporters write it: the birth date and study time in ISO form
    (1917-05-23, 13:47:11: markers too), the sex in words; flagged without burned-in text."""
    import pydicom

    write_marked_study(folder, variant=3, burned_in="NO")
    for path in sorted(folder.glob("*.dcm")):
        ds = pydicom.dcmread(path)
        ds["PatientBirthDate"].value, ds["StudyTime"].value = "1917-05-23", "13:47:11"
        ds.PatientSex = "female"
        ds.save_as(path)
    return folder


def out_of_format_paths(audit: Audit, folder: Path) -> None:
    """The verbs and a SEG save on a header written out of DICOM's format."""
    dataset = next((audit.out / "datasets").glob("Dataset*"))
    audit.cli("info", str(folder), shows=INFO_SHOWS)
    audit.cli("convert", str(folder), str(audit.out / "out-of-format.nii.gz"))
    audit.cli("segment", str(folder), "-o", str(audit.out / "out-of-format-seg.nii.gz"), "--device", "cpu")
    audit.cli("dataset", "add", str(dataset), "--image", str(folder), "--labels",
              str(audit.out / "out-of-format-seg.nii.gz"), "--annotator", "reader1")
    audit.python("api: SEG of the out-of-format header", f"""
from pathlib import Path
from neuroview.core.labels import LabelMap
from neuroview.io import load
from neuroview.io.seg import read_series_headers, save_seg
study, out = Path({str(folder)!r}), Path({str(audit.out)!r})
labels = load(str(out / 'out-of-format-seg.nii.gz'))
labels = LabelMap((labels.array > 0).astype('uint8'), labels.ijk_to_ras)
labels.segments.add('lesion', value=1)
labels.array[20:26, 20:28, 8:12] = 1
save_seg(labels, read_series_headers(sorted(study.glob('*.dcm'))), out / 'out-of-format-seg.dcm')
""")


def api_paths(audit: Audit, study: Path) -> None:
    """A session's crash journal, saved labels and a DICOM SEG, as the window writes them."""
    audit.python("api: session, journal, save labels, SEG", f"""
from pathlib import Path
from neuroview.app.case import workspace_for
from neuroview.app.session import Session
from neuroview.io import load
from neuroview.io.seg import read_series_headers, save_seg
study, out = Path({str(study)!r}), Path({str(audit.out)!r})
volume = load(str(study))
session = Session(volume, workspace_for(volume))
lesion = session.segments.add('lesion')
session.apply('paint', at_ras=volume.center_ras, segment=lesion.value, radius_mm=4.0)
session.save_labels(out / 'session-labels.nii.gz')
session.save_labels(out / 'session-labels.mha')
session.save_labels(out / 'session-labels.mhd')
session.save_labels(out / 'session-labels.seg.nrrd')
session.apply('paint', at_ras=volume.center_ras + 4.0, segment=lesion.value, radius_mm=4.0)
save_seg(session.labels, read_series_headers(sorted(study.glob('*.dcm'))), out / 'labels-seg.dcm',
         content_creator='Reader^Ann')
session.journal.close()  # left as a crash leaves it: the journal and workspace.json stay
""")


def adjudication_paths(audit: Audit, cleaned: Path) -> None:
    """Two readers' SEGs beside a study, compared, adjudicated and sent to the training set as the
    window does; the SEGs' own UIDs, which no marker names, are searched for in the training set."""
    printed = audit.python("api: readers' SEGs, adjudicate, send to training set", f"""
from pathlib import Path
import numpy as np
import pydicom
from neuroview.app.case import Case
from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers
from neuroview.core.labels import LabelMap
from neuroview.io import load
from neuroview.io.seg import read_series_headers, save_seg
study, out = Path({str(cleaned)!r}), Path({str(audit.out)!r})
volume = load(str(study))
headers = read_series_headers([study])
uids = []
for n, reader in enumerate(('Smith^Ann', 'Jones^Bob')):
    mask = np.zeros(volume.shape, np.uint8)
    mask[10 + 2 * n:20 + 2 * n, 12:22, 6:12] = 1
    path = study.parent / f'{{study.name}}-{{reader[:5]}}-seg.dcm'
    save_seg(LabelMap(mask, volume.ijk_to_ras), headers, path, content_creator=reader)
    head = pydicom.dcmread(path, stop_before_pixels=True)
    uids += [str(head.SeriesInstanceUID), str(head.SOPInstanceUID)]
plan = AdjudicationPlan(compare_readers(volume, None, 'majority'))
plan.choose(1, 'Jones^Bob')
case = Case.open(volume)
apply_adjudication(case, plan, 'Senior^Sam')
print('sent as', case.send_to_training_set(next((out / 'datasets').glob('Dataset*'))).case)
case.close()
print('SEG UIDS', *uids)
""")
    uids = next((line.split()[2:] for line in printed.splitlines() if line.startswith("SEG UIDS")), [])
    if len(uids) != 4:
        audit.leaks.append(("api: adjudicate", "the readers' SEGs were not made (see above)"))
    dataset = next((audit.out / "datasets").glob("Dataset*"))
    audit.leaks += [(f"out/datasets/{dataset.name}/{relative}", f"a reader's SEG UID {uid}")
                    for relative, uid in search_files(dataset, uids)]


def pacs_paths(audit: Audit, study: Path, later: Path) -> None:
    """Store, search, retrieve and send a SEG through a local Orthanc, by DIMSE and DICOMweb;
    ``later``: another series of the patient, followed up from the retrieved one."""
    from tests.pacs.orthanc_server import CLIENT_AET, PASSWORD, SERVER_AET, USER, OrthancServer

    (audit.work / "orthanc").mkdir()
    server = OrthancServer(audit.work / "orthanc").start()
    try:
        audit.env["NEUROVIEW_PACS_PASSWORD"] = PASSWORD
        audit.cli("pacs", "add", "audit", "--host", "127.0.0.1", "--port", str(server.dicom_port),
                  "--aet", SERVER_AET, "--calling-aet", CLIENT_AET, "--url", server.dicomweb_url,
                  "--user", USER)
        audit.cli("pacs", "echo", "--server", "audit")
        audit.cli("pacs", "store", "--server", "audit", "--protocol", "dimse", str(study))
        for protocol in ("dimse", "web"):
            for level in ("patient", "study", "series"):   # QIDO-RS has no patient level: 1 line
                audit.cli("pacs", "find", "--server", "audit", "--protocol", protocol, "--level", level,
                          "--patient-name", "ZQFAMILYMK*", shows=ALL,
                          expect=1 if (protocol, level) == ("web", "patient") else 0)
            audit.cli("pacs", "get", "--server", "audit", "--protocol", protocol, "--study",
                      UIDS["StudyInstanceUID"], "-o", str(audit.out / f"pacs-get-{protocol}"), shows=ALL)
        audit.python("api: save_mask_to_pacs (DIMSE and DICOMweb)", f"""
from pathlib import Path
import numpy as np
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io import load
from neuroview.io.pacs import get_server
from neuroview.io.pacs.save_mask import save_mask_to_pacs
study = Path({str(study)!r})
volume = load(str(study))
labels = np.zeros(volume.shape, np.uint8)
labels[20:26, 20:28, 8:12] = 1
table = SegmentTable()
table.add('lesion', color=(230, 25, 75), value=1)
for protocol, reader in (('dimse', 'Reader^Ann'), ('web', 'Reader^Bob')):
    save_mask_to_pacs(get_server('audit'), LabelMap(labels, volume.ijk_to_ras, table), study,
                      reader=reader, model='lesionseg@2.5.1', protocol=protocol)
""")
        audit.cli("pacs", "readers", "--server", "audit", "--study", UIDS["StudyInstanceUID"],
                  "--series", UIDS["SeriesInstanceUID"], shows={UIDS["SeriesInstanceUID"], UID_ROOT})
        adjudicate = ("pacs", "adjudicate", "--server", "audit", "--study", UIDS["StudyInstanceUID"],
                      "--series", UIDS["SeriesInstanceUID"])
        audit.cli(*adjudicate)
        dataset = next((audit.out / "datasets").glob("Dataset*"))
        audit.cli(*adjudicate, "--take", "1=consensus", "--adjudicator", "Senior^Sam", "--to-dataset",
                  str(dataset), expect=1,   # the study is flagged BurnedInAnnotation YES: the line
                  shows={UIDS["SeriesInstanceUID"], UID_ROOT})   # names its cache folder (the UID)
        audit.cli(*adjudicate, "--take", "1=consensus", "--adjudicator", "Senior^Sam", "--provenance",
                  str(audit.out / "adjudication.json"))
        audit.cli("pacs", "worklist", "--server", "audit", "--reader", "Reader^Cy", "--modality", "MR",
                  "-o", str(audit.out / "worklist"), shows=ALL)
        audit.cli("followup", f"pacs://audit/{UIDS['StudyInstanceUID']}/{UIDS['SeriesInstanceUID']}",
                  str(later), "--labels-baseline", str(audit.out / "seg.nii.gz"), "--labels",
                  str(audit.out / "seg.nii.gz"), "--no-brain-extraction", "--out",
                  str(audit.out / "followup-pacs"))
    finally:
        server.stop()


def read_back(out: Path) -> list[str]:
    """Every export must still be valid: NIfTI by nibabel, SEG by pydicom and highdicom."""
    import highdicom as hd
    import nibabel as nib
    import pydicom

    problems = []
    for path in sorted(out.rglob("*.nii*")):
        try:
            image = nib.load(path)
            image.get_fdata()
        except Exception as exc:  # noqa: BLE001 - each file's problem is reported
            problems.append(f"{path.name}: nibabel: {exc}")
    for path in sorted(out.rglob("*seg*.dcm")):
        try:
            hd.seg.Segmentation.from_dataset(pydicom.dcmread(path))
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{path.name}: highdicom: {exc}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--skip-train", action="store_true", help="leave out train/models compare")
    parser.add_argument("--skip-pacs", action="store_true", help="leave out the PACS (Orthanc) paths")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nv-privacy-"))
    needles = [*markers(), LABEL_FILE]
    print(f"{len(needles)} markers; work folder {work}")
    started = time.time()
    try:
        study = write_marked_study(work / "in" / "cases" / "study")
        cleaned = write_marked_study(work / "in" / "cleaned", burned_in="NO")
        second = another_series(write_marked_study(work / "in" / "cases" / "study2", variant=1,
                                                   burned_in="NO"))
        assert {n for _, n in search_files(study, needles)} >= {TEXT["PatientID"], UIDS["StudyInstanceUID"]}
        audit = Audit(work)
        run_paths(audit, study, cleaned, second, train=not args.skip_train)
        api_paths(audit, study)
        for labels in ("session-labels.mha", "session-labels.mhd", "session-labels.seg.nrrd"):
            audit.cli("info", "-v", str(audit.out / labels))
        adjudication_paths(audit, cleaned)
        out_of_format_paths(audit, write_out_of_format(work / "in" / "out-of-format"))
        if not args.skip_pacs:
            pacs_paths(audit, study, second)
        stated = []
        for root in (audit.home, audit.out):
            for relative, needle in search_files(root, needles):
                where = f"{root.name}/{relative}"
                reason = next((why for pattern, keeps, why in STATED_FILES
                               if re.search(pattern, where) and needle in keeps), None)
                (stated.append((where, needle, reason)) if reason else audit.leaks.append((where, needle)))
        problems = read_back(audit.out)
        files = sum(len(f) for root in (audit.home, audit.out) for _, _, f in os.walk(root))
        print(f"\n{audit.commands} commands, {files} files searched for {len(needles)} markers, "
              f"{time.time() - started:.0f} s wall, "
              f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime:.0f} CPU s")
        for reason in sorted({r for _, _, r in stated}):
            where = sorted({w for w, _, r in stated if r == reason})
            hits = sum(1 for hit in stated if hit[2] == reason)
            print(f"stated: {reason}: {hits} hits in {len(where)} file(s)")
        for command in sorted({w for w, _ in audit.shown}):
            count = len({n for w, n in audit.shown if w == command})
            print(f"shown on purpose by {command[:70]}: {count} markers")
        for where, needle in sorted(set(audit.leaks)):
            print(f"LEAK {where}: {needle}")
        for problem in problems:
            print(f"INVALID {problem}")
        print(f"{len(set(audit.leaks))} leaks, {len(problems)} invalid files")
        return 1 if audit.leaks or problems else 0
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
