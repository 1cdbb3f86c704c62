"""``neuroview dataset init|add|list``: training sets in nnU-Net v2 layout, built from corrected cases."""

from __future__ import annotations

import numpy as np

from ..core.errors import DatasetError, LabelMapError
from ..core.labels import LabelMap, as_label_array


def register(parser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    init = actions.add_parser("init", help="create an empty training set")
    init.add_argument("dir", metavar="DIR",
                      help="DatasetNNN_Name folder, or a folder to create DatasetNNN_NAME in")
    init.add_argument("--name", required=True, help="dataset name (letters, digits, _ and -)")
    init.add_argument("--labels", required=True,
                      help="comma-separated label names, background first: background,lesion[,...]")
    init.add_argument("--channels", default="MRI",
                      help="comma-separated channel names in file order, e.g. T1,FLAIR or CT "
                           "(nnU-Net normalises 'CT' by HU windows, others by z-score)")
    init.add_argument("--id", type=int, default=None,
                      help="dataset number NNN (default: the first free one from 501)")

    add = actions.add_parser("add", help="add one case (image + final mask) to a training set")
    add.add_argument("dir", metavar="DIR", help="the dataset (or the folder holding only it)")
    add.add_argument("--image", required=True, action="append", metavar="IMAGE",
                     help="image file, DICOM folder or DICOMDIR; repeat once per channel, in order")
    add.add_argument("--labels", required=True, metavar="LABELS",
                     help="final label map (NIfTI/NRRD) on the image grid, dataset label values")
    add.add_argument("--annotator", default="", help="who corrected or drew the mask")
    add.add_argument("--proposal", metavar="MASK", help="the model's mask before correction (for Dice)")
    add.add_argument("--model", default="", metavar="NAME@VERSION", help="model that proposed the mask")
    add.add_argument("--status", choices=("final", "proposed"), default="final",
                     help="'final' (checked by a person, default) or 'proposed' (model output as is)")
    add.add_argument("--editing-seconds", type=float, default=None, help="time spent correcting")
    add.add_argument("--reviewed", metavar="MASK",
                     help="mask of the voxels that were reviewed; the rest is labelled 'ignore'")
    add.add_argument("--series", type=int, default=None, metavar="N",
                     help="series number as listed by 'neuroview info' when IMAGE holds several")
    add.add_argument("--links", metavar="FILE", default=None,
                     help="private pseudonym->source file (default: in the user's data folder)")

    listing = actions.add_parser("list", help="list the cases of a training set with provenance")
    listing.add_argument("dir", metavar="DIR")


def _load_label_map(path: str, reference) -> LabelMap:
    from ..io import load

    volume = load(path)
    if volume.array.ndim != 3:
        raise LabelMapError(f"a label map must be 3D, got shape {volume.array.shape}", path=path)
    array = as_label_array(np.asarray(volume.array), source=path)
    label_map = LabelMap.from_array(array, volume.ijk_to_ras)
    label_map.require_grid_of(reference, source=path)
    return label_map


def _init(args) -> int:
    from ..dataset.store import init_dataset

    folder = init_dataset(args.dir, args.name, args.labels.split(","),
                          channels=args.channels.split(","), dataset_id=args.id)
    print(folder)
    return 0


def _add(args) -> int:
    from ..dataset.provenance import Provenance
    from ..dataset.store import add_case, read_dataset
    from ..io import load
    from .progress import TextProgress

    read_dataset(args.dir)  # a wrong DIR is reported before any image is read
    volumes = [load(image, series=args.series, progress=TextProgress()) for image in args.image]
    label_map = _load_label_map(args.labels, volumes[0])
    proposal = _load_label_map(args.proposal, volumes[0]) if args.proposal else None
    reviewed = _load_label_map(args.reviewed, volumes[0]).array > 0 if args.reviewed else None
    provenance = Provenance(annotator=args.annotator, model=args.model, status=args.status,
                            editing_seconds=args.editing_seconds)
    record = add_case(args.dir, volumes, label_map, provenance, proposal=proposal,
                      reviewed=reviewed, links_path=args.links)
    print(record.case)
    return 0


def _list(args) -> int:
    from ..dataset.store import list_cases, read_dataset

    info = read_dataset(args.dir)
    print(f"{info.folder}  labels: {', '.join(f'{v}={n}' for n, v in info.labels.items())}  "
          f"channels: {', '.join(info.channel_names.values())}  cases: {info.num_training}")
    for record in list_cases(info.folder):
        model = f"{record.model['name']}@{record.model['version']}" if record.model else "-"
        parts = []
        for seg in record.segments:
            text = f"{seg.name} {seg.final_voxels} vox"
            if seg.dice is not None:
                text += f" dice {seg.dice:.3f}"
            if seg.changed_voxels is not None:
                text += f" changed {seg.changed_voxels}"
            parts.append(text)
        partial = f" partial({record.reviewed_fraction:.0%} reviewed)" if record.partial else ""
        print(f"{record.case}  {record.subject}  {record.status:<8} model {model}  "
              f"by {record.annotator or '-'}  {'; '.join(parts)}{partial}")
    return 0


def run(args) -> int:
    actions = {"init": _init, "add": _add, "list": _list}
    if args.action not in actions:
        raise DatasetError(f"unknown action {args.action!r}")
    return actions[args.action](args)
