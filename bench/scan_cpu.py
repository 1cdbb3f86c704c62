"""CPU time of two start-up parts of ``neuroview convert``, this checkout against another.

    cd /tmp && python CHECKOUT/bench/scan_cpu.py OTHER_CHECKOUT [--folder DIR] [--repeats 15]

Alternating child processes, one per measure and checkout (medians; the first round is a
warm-up): the header scan of every ``*.dcm`` in ``--folder`` in one thread (``read_file`` file
after file, the files in the page cache), and the imports ``convert`` makes besides the scan and
load: its module, and nibabel for checkouts that write the NIfTI through it
(``neuroview.cli.convert._import_nibabel``; from 2 Dec 2026 ``convert`` writes its header
itself, :mod:`neuroview.io.nifti_header`, and imports nibabel only for arrays that writer
leaves to it). The default folder is ``bench/load.py --study enhanced``'s (make it first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SCAN = """
import glob, sys, time
from neuroview.io.dicom.scan import read_file
files = sorted(glob.glob(sys.argv[1] + '/*.dcm'))
start = time.process_time()
cache = {}
scans = [read_file(f, cache) for f in files]
print(time.process_time() - start)
"""

IMPORT = """
import time
start = time.process_time()
from neuroview.cli import convert
if not hasattr(convert, "write_converted"):  # a checkout that writes through nibabel
    convert._import_nibabel()
print(time.process_time() - start)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", help="another checkout (e.g. git archive COMMIT neuroview)")
    parser.add_argument("--folder", default=os.path.join(tempfile.gettempdir(), "neuroview-bench",
                                                          "enhanced-xa-timed"))
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    trees = {"this": str(REPO), "other": str(Path(args.other).resolve())}
    times = {(measure, name): [] for measure in ("scan", "import") for name in trees}
    for run in range(args.repeats + 1):
        for measure, code in (("scan", SCAN), ("import", IMPORT)):
            for name, tree in trees.items():
                env = dict(os.environ, PYTHONPATH=tree)
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                out = subprocess.run([sys.executable, "-c", code, args.folder], env=env,
                                     cwd=tempfile.gettempdir(), capture_output=True, text=True,
                                     check=True).stdout
                if run:
                    times[measure, name].append(float(out))
    n_files = len(list(Path(args.folder).glob("*.dcm")))
    for (measure, name), values in times.items():
        what = f"scan of {n_files} files, one thread" if measure == "scan" else "convert's imports"
        print(f"  {what:32s} {name:5s} ({trees[name]}): CPU {statistics.median(values):.3f} s")
    print(f"  medians of {args.repeats} alternating runs; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
