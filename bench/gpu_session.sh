#!/usr/bin/env bash
# One prepared run for a lent CUDA machine (issues #12 and #13): the GPU tests, the larger lesion
# model and a promptable model trained on the GPU, and the GPU timings, in one command of under
# 10 minutes. The machine has its own Python 3.12 with torch (CUDA) but no network, so the other
# packages travel as wheels.
#
#   here, once (network):      bash bench/gpu_session.sh prepare        # wheels into .whl/ (52 MB)
#   there (the device tool):   bash bench/gpu_session.sh run            # carry [".whl"]; results in $OUT
#
# `run` writes to $OUT (at most 8 files come back): gpu.txt, tests.log, lesionseg.log,
# lesionseg.tar (the package), clickseg.log, clickseg.tar, timings.log. Budgets in minutes can be
# changed with LESION_MINUTES and CLICK_MINUTES; WORKERS processes make the training samples.
set -uo pipefail
cd "$(dirname "$0")/.."
WHEELS=(nibabel nilearn connected-components-3d pydicom pylibjpeg pylibjpeg-openjpeg pylibjpeg-rle
        pylibjpeg-libjpeg pyjpegls python-gdcm)

if [ "${1:-run}" = prepare ]; then
    mkdir -p .whl
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64 \
        --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64 \
        -d .whl "${WHEELS[@]}"
    du -sh .whl
    exit
fi

OUT=${OUT:-/tmp/gpu-out}
WORK=/tmp/gpu-work
mkdir -p "$OUT" "$WORK"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site \
    .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 NEUROVIEW_HOME=$WORK/home
WORKERS=${WORKERS:-$(( $(nproc) - 2 ))}
nvidia-smi -L > "$OUT/gpu.txt" 2>&1
python3 -c "import torch; print(torch.__version__, torch.cuda.get_device_name())" >> "$OUT/gpu.txt" 2>&1

# 1. the tests that need a GPU (marked gpu; they skip elsewhere)
timeout 150 python3 -m pytest -q -p no:cacheprovider -m gpu tests/ai > "$OUT/tests.log" 2>&1

# 2. the larger lesion model: 16 base channels, 48^3 patches of 2 mm, samples made by $WORKERS
#    processes, bfloat16 on the GPU; the card records the device
timeout 330 python3 -m neuroview train --synthetic --out "$WORK/lesionseg" --version 3.0.0 --device cuda \
    --spacing 2 --patch 48 --batch-size 8 --base-channels 16 --epochs 400 --iterations 100 \
    --patience 1000 --minutes "${LESION_MINUTES:-4}" --workers "$WORKERS" --threads 2 \
    > "$OUT/lesionseg.log" 2>&1
tar -C "$WORK" -cf "$OUT/lesionseg.tar" lesionseg 2>/dev/null

# 3. the promptable model, fine-tuned from the bundled one on the GPU
timeout 150 python3 -m neuroview train --interactive --out "$WORK/clickseg" --version 1.5.0 --device cuda \
    --base resources/models/clickseg --learning-rate 0.001 --batch-size 16 --iterations 50 \
    --minutes "${CLICK_MINUTES:-1.5}" --workers "$WORKERS" --threads 2 > "$OUT/clickseg.log" 2>&1
tar -C "$WORK" -cf "$OUT/clickseg.tar" clickseg 2>/dev/null

# 4. timings on the GPU: the whole Segment job on the demo case and a 256^3 head, and AI click latency
{
    timeout 90 python3 - <<'PY'
import time, numpy as np
from neuroview.ai.segment import segment_volume
from neuroview.io.nifti import load_nifti
demo = load_nifti("resources/demo/mni152_t1_1mm.nii.gz")
for device in ("cuda", "cuda", "cuda", "cpu"):
    started = time.perf_counter()
    labels = segment_volume(demo, "lesionseg", device=device)[0]
    print(f"Segment, demo case, {device}: {time.perf_counter() - started:.2f} s (first cuda run loads)")
PY
    timeout 120 python3 bench/interactive.py --lesions 4 --max-clicks 3 --threads 2 --device cuda
} > "$OUT/timings.log" 2>&1
tail -n 3 "$OUT"/*.log
