"""Small hostile or broken image files that *declare* what they do not hold.

Each maker writes one file (a few kB to a few MB) into a folder and returns its path. None is
committed as a binary: the tests build them on the fly. Headers lie about sizes (truncated data,
data offsets past the end, absurd dimensions, gzip streams inflating to gigabytes), geometry
(NaN, inf, singular sform/qform) or frame counts (a DICOM declaring 2^31 frames).
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import numpy as np

GIB = 1 << 30


def _nifti(shape, dtype=np.int16, data=b"", **fields):
    """A NIfTI-1 single file: header with ``shape`` and ``fields`` set as given (unchecked),
    padding up to ``vox_offset``, then ``data``."""
    import nibabel as nib

    header = nib.Nifti1Header()
    header.set_data_dtype(dtype)
    header.set_data_shape([1] * len(shape))
    header.set_sform(np.eye(4), code=1)
    header.set_qform(np.eye(4), code=1)
    dim = header["dim"].copy()
    dim[1:1 + len(shape)] = shape
    header["dim"] = dim
    for key, value in fields.items():
        header[key] = value
    block = header.binaryblock + b"\0" * 4  # 348 bytes + an empty extension flag
    offset = int(header["vox_offset"])
    return block + b"\0" * max(0, offset - len(block)) + data


@functools.lru_cache(maxsize=None)
def _compressed_zeros(codec: str, size: int) -> bytes:
    """``size`` zero bytes compressed by ``codec`` (gzip or bz2) at level 9: tens of kB, made
    once per process (each took 0.3-1 s and six makers repeat them)."""
    import bz2

    return gzip.compress(bytes(size), compresslevel=9) if codec == "gzip" else bz2.compress(bytes(size), 9)


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _gzip_zeros(total: int, member: int = 64 << 20) -> bytes:
    """A multi-member gzip stream of ``total`` zero bytes, compressed once and repeated (so a
    4 GiB bomb costs a few milliseconds and ~4 MB to make)."""
    one = _compressed_zeros("gzip", member)
    count, rest = divmod(total, member)
    return one * count + (gzip.compress(bytes(rest)) if rest else b"")


def nifti_truncated(folder: Path) -> Path:
    return _written(folder / "truncated.nii", _nifti((64, 64, 64), data=bytes(1000)))


def nifti_offset_past_end(folder: Path) -> Path:
    return _written(folder / "offset_past_end.nii",
                    _nifti((4, 4, 4), vox_offset=1_000_000.0)[:352] + bytes(128))


def nifti_nan_sform(folder: Path) -> Path:
    return _written(folder / "nan_sform.nii", _nifti((8, 8, 8), data=bytes(1024), srow_x=[np.nan, 0, 0, 0]))


def nifti_inf_qform(folder: Path) -> Path:
    return _written(folder / "inf_qform.nii",
                    _nifti((8, 8, 8), data=bytes(1024), sform_code=0, quatern_b=np.inf))


def nifti_singular_sform(folder: Path) -> Path:
    return _written(folder / "singular_sform.nii", _nifti((8, 8, 8), data=bytes(1024), srow_x=[0, 0, 0, 0],
                                                         srow_y=[0, 0, 0, 0], srow_z=[0, 0, 0, 0]))


def nifti_zero_dim(folder: Path) -> Path:
    return _written(folder / "zero_dim.nii", _nifti((0, 8, 8), data=bytes(128)))


def nifti_negative_dim(folder: Path) -> Path:
    return _written(folder / "negative_dim.nii", _nifti((-5, 8, 8), data=bytes(128)))


def nifti_absurd_dims(folder: Path) -> Path:
    return _written(folder / "absurd_dims.nii", _nifti((32767, 32767, 32767), data=bytes(4096)))


def nifti_gz_lying_size(folder: Path) -> Path:
    """Declares 64 GiB of voxels in a 10 kB gzip: more than deflate can ever inflate to."""
    return _written(folder / "lying_size.nii.gz", gzip.compress(
        _nifti((4096, 4096, 2048), dtype=np.int16, data=np.random.default_rng(0).bytes(8192))))


def nifti_gz_bomb(folder: Path) -> Path:
    """4 GiB of zeros in ~4 MB, and a header that truthfully declares all of them."""
    path = folder / "bomb.nii.gz"
    header = _nifti((2048, 2048, 1024), dtype=np.uint8)
    path.write_bytes(gzip.compress(header) + _gzip_zeros(4 * GIB))
    return path


def mgh_truncated(folder: Path) -> Path:
    import nibabel as nib

    path = folder / "truncated.mgh"
    image = nib.MGHImage(np.zeros((32, 32, 32), np.float32), np.eye(4))
    nib.save(image, path)
    data = path.read_bytes()
    path.write_bytes(data[:284 + 4000])
    return path


def mgh_zero_dim(folder: Path) -> Path:
    import nibabel as nib

    path = folder / "zero_dim.mgh"
    image = nib.MGHImage(np.zeros((4, 4, 4), np.float32), np.eye(4))
    nib.save(image, path)
    data = bytearray(path.read_bytes())
    data[4:8] = (0).to_bytes(4, "big")  # width
    path.write_bytes(bytes(data))
    return path


def _nrrd_header(sizes, encoding="raw", extra="") -> bytes:
    return (f"NRRD0004\ntype: uint8\ndimension: 3\nsizes: {' '.join(map(str, sizes))}\n"
            "space: left-posterior-superior\nspace directions: (1,0,0) (0,1,0) (0,0,1)\n"
            f"encoding: {encoding}\n{extra}\n").encode()


def nrrd_absurd_sizes(folder: Path) -> Path:
    return _written(folder / "absurd_sizes.nrrd", _nrrd_header((100000, 100000, 100000)) + bytes(512))


def nrrd_truncated(folder: Path) -> Path:
    return _written(folder / "truncated.nrrd", _nrrd_header((64, 64, 64)) + bytes(512))


def nrrd_zero_size(folder: Path) -> Path:
    return _written(folder / "zero_size.nrrd", _nrrd_header((0, 8, 8)) + bytes(64))


def nrrd_gzip_bomb(folder: Path) -> Path:
    return _written(folder / "bomb.nrrd", _nrrd_header((2048, 2048, 1024), "gzip") + _gzip_zeros(4 * GIB))


def nrrd_small_header_big_stream(folder: Path) -> Path:
    """Declares 512 bytes of voxels over a gzip stream of 8 GiB (pynrrd alone inflates it all)."""
    return _written(folder / "big_stream.nrrd", _nrrd_header((8, 8, 8), "gzip") + _gzip_zeros(8 * GIB))


def dicom_many_frames(folder: Path) -> Path:
    """A 1 kB multi-frame DICOM declaring 2^31 - 1 frames of 64x64 pixels."""
    import pydicom
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.NumberOfFrames = 2**31 - 1
    ds.Rows = ds.Columns = 64
    ds.PixelData = bytes(1024)
    path = folder / "many_frames.dcm"
    ds.save_as(path)
    return path


MAKERS = [nifti_truncated, nifti_offset_past_end, nifti_nan_sform, nifti_inf_qform,
          nifti_singular_sform, nifti_zero_dim, nifti_negative_dim, nifti_absurd_dims,
          nifti_gz_lying_size, nifti_gz_bomb, mgh_truncated, mgh_zero_dim, nrrd_absurd_sizes,
          nrrd_truncated, nrrd_zero_size, nrrd_gzip_bomb, nrrd_small_header_big_stream,
          dicom_many_frames]


# Compressed streams read with a bound (#16.5): each would make a reader inflate gigabytes.

def _bz2_zeros(total: int, member: int = 16 << 20) -> bytes:
    """A multi-stream bzip2 of ``total`` zero bytes (one 16 MiB stream repeated)."""
    one = _compressed_zeros("bz2", member)
    return one * (total // member)


def _raw_deflate_zeros(total: int, block: int = 64 << 20) -> bytes:
    """One raw deflate stream of ``total`` zero bytes: a block compressed once and flushed
    (a full flush makes what follows independent of it), repeated, then the final block."""
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    one = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return one * (total // block) + compressor.flush()


def nifti_gz_extension_bomb(folder: Path) -> Path:
    """A 3 MB .nii.gz whose header puts the voxels at 3 GB, behind one 2 GiB extension:
    nibabel reads extensions into memory before anything checks the size."""
    path = folder / "extension_bomb.nii.gz"
    header = bytearray(_nifti((8, 8, 8))[:352])
    header[108:112] = np.float32(3e9).tobytes()  # vox_offset (no padding written up to it)
    header[348] = 1  # extensions follow
    extension = (2**31 - 16).to_bytes(4, "little") + (0).to_bytes(4, "little")
    path.write_bytes(gzip.compress(bytes(header) + extension) + _gzip_zeros(3 * GIB))
    return path


def mgz_bomb(folder: Path) -> Path:
    """A .mgz declaring 4 GiB of uint8 voxels (truthfully, in ~4 MB): nibabel would inflate it all
    to find the footer behind the voxels."""
    import nibabel as nib

    image = nib.MGHImage(np.zeros((4, 4, 4), np.uint8), np.eye(4))
    header = bytearray(image.header.binaryblock.ljust(284, b"\0"))   # voxels start at byte 284
    for axis, size in enumerate((2048, 2048, 1024)):
        header[4 + 4 * axis:8 + 4 * axis] = size.to_bytes(4, "big")
    return _written(folder / "bomb.mgz", gzip.compress(bytes(header)) + _gzip_zeros(4 * GIB))


def nrrd_bz2_bomb(folder: Path) -> Path:
    """A bzip2 NRRD declaring 4 GiB of voxels (truthfully, in a few kB)."""
    return _written(folder / "bomb_bz2.nrrd", _nrrd_header((2048, 2048, 1024), "bzip2") + _bz2_zeros(4 * GIB))


def nrrd_bz2_small_header_big_stream(folder: Path) -> Path:
    """Declares 512 bytes of voxels over a bzip2 stream of 8 GiB."""
    return _written(folder / "big_stream_bz2.nrrd", _nrrd_header((8, 8, 8), "bzip2") + _bz2_zeros(8 * GIB))


def dicom_deflated_bomb(folder: Path) -> Path:
    """A Deflated Explicit VR Little Endian DICOM of ~6 MB whose dataset inflates to 6 GiB:
    pydicom inflates the whole dataset in one call before reading any element."""
    import io

    import pydicom
    from pydicom.dataset import FileMetaDataset
    from pydicom.filewriter import write_file_meta_info

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = pydicom.uid.CTImageStorage
    meta.MediaStorageSOPInstanceUID = pydicom.uid.generate_uid()
    meta.TransferSyntaxUID = pydicom.uid.DeflatedExplicitVRLittleEndian
    head = io.BytesIO()
    head.write(b"\0" * 128 + b"DICM")
    write_file_meta_info(pydicom.filebase.DicomFileLike(head), meta)
    return _written(folder / "deflated_bomb.dcm", head.getvalue() + _raw_deflate_zeros(6 * GIB))


MAKERS += [nifti_gz_extension_bomb, mgz_bomb, nrrd_bz2_bomb, nrrd_bz2_small_header_big_stream,
           dicom_deflated_bomb]


def nifti_gz_unknown_datatype(folder: Path) -> Path:
    """A gzipped NIfTI whose datatype code (14338) is none of NIfTI's: found by mutating
    nibabel's ``standard.nii.gz`` (session 16); nibabel's dtype lookup raises KeyError."""
    header = bytearray(_nifti((8, 8, 8), dtype=np.uint8, data=bytes(512)))
    header[70:72] = (14338).to_bytes(2, "little")  # datatype, a short at byte 70
    return _written(folder / "unknown_datatype.nii.gz", gzip.compress(bytes(header)))


def nifti_gz_byte_swapped_header(folder: Path) -> Path:
    """nibabel's ``standard.nii.gz`` with eight header bytes changed as bench/input_fuzz.py
    changed them (session 16; dim[0] among them, so nibabel reads the header as byte-swapped):
    nibabel rejects it ("vox offset 0 too low"), and logged four lines of its own on stderr
    beside neuroview's one."""
    from nibabel.testing import data_path

    header = bytearray(gzip.decompress((Path(data_path) / "standard.nii.gz").read_bytes()))
    for at, value in ((31, 26), (40, 202), (43, 22), (85, 150), (103, 138), (121, 46), (125, 1),
                      (299, 204)):
        header[at] = value
    return _written(folder / "byte_swapped_header.nii.gz", gzip.compress(bytes(header)))


MAKERS += [nifti_gz_unknown_datatype, nifti_gz_byte_swapped_header]


# NRRD headers whose fields disagree (found by bench/input_fuzz.py, session 16): internal
# KeyError, IndexError and ValueError before.

def nrrd_no_dimension(folder: Path) -> Path:
    return _written(folder / "no_dimension.nrrd",
                    _nrrd_header((4, 4, 4)).replace(b"dimension: 3\n", b"dimeXXion: 3\n") + bytes(64))


def nrrd_fewer_sizes_than_axes(folder: Path) -> Path:
    return _written(folder / "fewer_sizes.nrrd",
                    _nrrd_header((4, 4, 4)).replace(b"sizes: 4 4 4", b"sizes: 4 16") + bytes(64))


def nrrd_origin_of_two_values(folder: Path) -> Path:
    """Four damaged bytes inside the origin's third number: pynrrd reads two values."""
    return _written(folder / "origin_two_values.nrrd", _nrrd_header((4, 4, 4))[:-1]
                    + b"space origin: (32,-4\xff\xff\xff\xff6)\n\n" + bytes(64))


MAKERS += [nrrd_no_dimension, nrrd_fewer_sizes_than_axes, nrrd_origin_of_two_values]


def mgz_unknown_data_type(folder: Path) -> Path:
    """A .mgz whose data type code (7602179) is none of MGH's (found by damaging nibabel's
    test.mgz, session 16): nibabel's lookup raised KeyError, an internal error."""
    import nibabel as nib

    path = folder / "unknown_type.mgz"
    nib.save(nib.MGHImage(np.zeros((4, 4, 4), np.float32), np.eye(4)), path)
    data = bytearray(gzip.decompress(path.read_bytes()))
    data[20:24] = (7602179).to_bytes(4, "big")  # type, after version and three dims
    path.write_bytes(gzip.compress(bytes(data)))
    return path


MAKERS += [mgz_unknown_data_type]


def nifti2_huge_sform(folder: Path) -> Path:
    """A NIfTI-2 (float64 sform) with one value of 6e254 mm (found by damaging nibabel's
    example_nifti2.nii.gz, session 16): finite, so it passed, and `convert` failed inside
    nibabel writing NIfTI-1's float32 rows (an internal HeaderDataError after 17 lines of numpy
    warnings)."""
    import nibabel as nib

    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    affine[2, 1] = -6.07e254
    path = folder / "huge_sform.nii"
    nib.save(nib.Nifti2Image(np.zeros((4, 4, 4), np.uint8), affine), path)
    return path


MAKERS += [nifti2_huge_sform]


# Session 52's third round: a CT slice's header made to lie about its pixels, a deflated dataset
# of garbage, a NIfTI with no usable orientation code and NaN voxel sizes.

def _ct_slice(folder: Path, name: str, **values) -> Path:
    """pydicom's CT_small.dcm (128x128, 16 bits) with ``values`` set as they are."""
    import pydicom
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    path = folder / name
    ds.save_as(path)
    return path


def dicom_pixel_data_cut(folder: Path) -> Path:
    """A 128x128 16-bit slice whose pixel data holds 1000 of its 32768 bytes."""
    import pydicom
    from pydicom.data import get_testdata_file

    return _ct_slice(folder, "pixels_cut.dcm",
                     PixelData=pydicom.dcmread(get_testdata_file("CT_small.dcm")).PixelData[:1000])


def dicom_8_bits_said_of_16(folder: Path) -> Path:
    """16-bit pixels under BitsAllocated 8: pydicom reads the first half of the bytes as 8-bit
    pixels (stripes of low and high bytes) and drops the rest as padding, with a warning."""
    return _ct_slice(folder, "bits_8_of_16.dcm", BitsAllocated=8, BitsStored=8, HighBit=7)


def dicom_32_bits_said_of_16(folder: Path) -> Path:
    return _ct_slice(folder, "bits_32_of_16.dcm", BitsAllocated=32, BitsStored=32, HighBit=31)


def dicom_rows_huge(folder: Path) -> Path:
    return _ct_slice(folder, "rows_huge.dcm", Rows=65535, Columns=65535)


def dicom_rows_negative(folder: Path) -> Path:
    """Rows written as a signed -5 (SS), as a damaged header can hold it."""
    import pydicom
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds["Rows"].VR = "SS"
    ds.Rows = -5
    path = folder / "rows_negative.dcm"
    ds.save_as(path)
    return path


def dicom_deflated_garbage(folder: Path) -> Path:
    """A meta header naming Deflated Explicit VR Little Endian, then 3000 random bytes."""
    import io

    import pydicom
    from pydicom.dataset import FileMetaDataset
    from pydicom.filewriter import write_file_meta_info

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = pydicom.uid.CTImageStorage
    meta.MediaStorageSOPInstanceUID = pydicom.uid.generate_uid()
    meta.TransferSyntaxUID = pydicom.uid.DeflatedExplicitVRLittleEndian
    head = io.BytesIO()
    head.write(b"\0" * 128 + b"DICM")
    write_file_meta_info(pydicom.filebase.DicomFileLike(head), meta)
    garbage = np.random.default_rng(52).integers(0, 256, 3000, dtype=np.uint8).tobytes()
    return _written(folder / "deflated_garbage.dcm", head.getvalue() + garbage)


def nifti_no_codes_nan_pixdim(folder: Path) -> Path:
    """sform_code and qform_code 0 (no orientation said: nibabel falls back to pixdim) and NaN
    voxel sizes."""
    return _written(folder / "no_codes_nan_pixdim.nii",
                    _nifti((4, 5, 6), data=bytes(240), sform_code=0, qform_code=0,
                           pixdim=[1, np.nan, np.nan, np.nan, 1, 1, 1, 1]))


MAKERS += [dicom_pixel_data_cut, dicom_8_bits_said_of_16, dicom_32_bits_said_of_16, dicom_rows_huge,
           dicom_rows_negative, dicom_deflated_garbage, nifti_no_codes_nan_pixdim]
