"""IDX reading and writing, and finding the standard MNIST file names in a directory."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from nnviz.core.errors import NnvizError
from nnviz.core.idx import find_idx_pair, read_idx, write_idx


@pytest.fixture
def tmp_path(tmp_path_factory):
    """A fresh directory named "case<n>": pytest's own is named after the test, and then a
    message check such as match="truncated" could succeed on the path alone."""
    return tmp_path_factory.mktemp("case")


DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip(tmp_path, dtype, suffix):
    rng = np.random.default_rng(1)
    array = (rng.standard_normal((5, 4, 3)) * 100).astype(dtype)
    path = write_idx(tmp_path / f"x-idx3-ubyte{suffix}", array)
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype)
    assert back.dtype.isnative
    np.testing.assert_array_equal(back, array)


def test_header_is_big_endian_mnist_layout(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    raw = write_idx(tmp_path / "train-images-idx3-ubyte", images).read_bytes()
    assert raw[:4] == b"\x00\x00\x08\x03"  # magic 0x00000803, as MNIST's image files
    assert struct.unpack(">3I", raw[4:16]) == (2, 3, 4)
    assert raw[16:] == images.tobytes()
    labels = write_idx(tmp_path / "l", np.array([7, 2], dtype=np.uint8)).read_bytes()
    assert labels[:8] == b"\x00\x00\x08\x01" + struct.pack(">I", 2)


def test_gzip_detected_by_content_not_name(tmp_path):
    array = np.arange(10, dtype=np.int16)
    gz = write_idx(tmp_path / "a.gz", array)
    assert gz.read_bytes()[:2] == b"\x1f\x8b"
    renamed = gz.rename(tmp_path / "no-extension")
    np.testing.assert_array_equal(read_idx(renamed), array)
    plain = write_idx(tmp_path / "b", array).rename(tmp_path / "misleading.gz")
    np.testing.assert_array_equal(read_idx(plain), array)


def test_gz_written_only_for_gz_names(tmp_path):
    assert write_idx(tmp_path / "plain", np.zeros(3, np.uint8)).read_bytes()[:2] == b"\x00\x00"


@pytest.mark.parametrize("cut", [2, 10, 16 + 23])
def test_truncated_file(tmp_path, cut):
    raw = write_idx(tmp_path / "full", np.ones((2, 3, 4), np.uint8)).read_bytes()
    bad = tmp_path / "train-images-idx3-ubyte"
    bad.write_bytes(raw[:cut])
    with pytest.raises(NnvizError, match="truncated") as e:
        read_idx(bad)
    assert str(bad) in str(e.value)


def test_trailing_bytes_rejected(tmp_path):
    raw = write_idx(tmp_path / "full", np.ones(4, np.uint8)).read_bytes()
    bad = tmp_path / "labels"
    bad.write_bytes(raw + b"\x00")
    with pytest.raises(NnvizError, match="trailing bytes"):
        read_idx(bad)


def test_truncated_gzip(tmp_path):
    raw = write_idx(tmp_path / "full.gz", np.arange(1000, dtype=np.int32)).read_bytes()
    bad = tmp_path / "cut.gz"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(NnvizError, match="cut.gz"):
        read_idx(bad)


@pytest.mark.parametrize("header", [b"\x01\x00\x08\x01", b"\x00\x00\x07\x01", b"\x89PNG", b"PK\x03\x04"])
def test_bad_magic(tmp_path, header):
    bad = tmp_path / "weird"
    bad.write_bytes(header + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(NnvizError, match="not an IDX file") as e:
        read_idx(bad)
    assert "weird" in str(e.value)


def test_gzipped_garbage_is_not_idx(tmp_path):
    bad = tmp_path / "g.gz"
    bad.write_bytes(gzip.compress(b"hello world"))
    with pytest.raises(NnvizError, match="not an IDX file"):
        read_idx(bad)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(NnvizError, match="no such file"):
        read_idx(tmp_path / "absent")
    with pytest.raises(NnvizError, match="directory"):
        read_idx(tmp_path)


def test_unsupported_dtype(tmp_path):
    with pytest.raises(NnvizError, match="int64"):
        write_idx(tmp_path / "x", np.zeros(3, dtype=np.int64))


# --- find_idx_pair ---------------------------------------------------------------------


def _touch(directory, *names):
    for name in names:
        (directory / name).write_bytes(b"")


@pytest.mark.parametrize(
    "images, labels, split",
    [
        ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "train"),
        ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "test"),
        ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "train"),
        ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "test"),
        ("train-images.idx3-ubyte", "train-labels.idx1-ubyte", "train"),
        ("emnist-digits-train-images-idx3-ubyte.gz", "emnist-digits-train-labels-idx1-ubyte.gz", "train"),
        ("emnist-digits-test-images-idx3-ubyte", "emnist-digits-test-labels-idx1-ubyte", "test"),
    ],
)
def test_find_standard_names(tmp_path, images, labels, split):
    _touch(tmp_path, images, labels, "README.txt")
    assert find_idx_pair(tmp_path, split) == (tmp_path / images, tmp_path / labels)


def test_find_picks_the_split_asked(tmp_path):
    names = [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ]
    _touch(tmp_path, *names)
    assert [p.name for p in find_idx_pair(tmp_path, "train")] == names[:2]
    assert [p.name for p in find_idx_pair(tmp_path, "test")] == names[2:]


def test_uncompressed_preferred_over_gz(tmp_path):
    _touch(
        tmp_path,
        "t10k-images-idx3-ubyte",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
        "t10k-labels-idx1-ubyte",
    )
    images, labels = find_idx_pair(tmp_path, "test")
    assert images.name == "t10k-images-idx3-ubyte" and labels.name == "t10k-labels-idx1-ubyte"


def test_empty_directory(tmp_path):
    _touch(tmp_path, "notes.txt")
    with pytest.raises(NnvizError, match="no IDX files") as e:
        find_idx_pair(tmp_path, "train")
    message = str(e.value)
    assert message.startswith(str(tmp_path)) and "train-images-idx3-ubyte[.gz]" in message
    assert "\n" not in message


def test_only_train_files_when_test_asked(tmp_path):
    _touch(tmp_path, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    with pytest.raises(NnvizError, match="no test IDX files, only train"):
        find_idx_pair(tmp_path, "test")


def test_half_a_pair(tmp_path):
    _touch(tmp_path, "train-images-idx3-ubyte.gz")
    with pytest.raises(NnvizError, match="no matching train labels"):
        find_idx_pair(tmp_path, "train")


def test_two_datasets_in_one_directory_is_ambiguous(tmp_path):
    for prefix in ("emnist-digits-", "emnist-mnist-"):
        _touch(tmp_path, f"{prefix}train-images-idx3-ubyte", f"{prefix}train-labels-idx1-ubyte")
    with pytest.raises(NnvizError, match="several"):
        find_idx_pair(tmp_path, "train")


def test_not_a_directory_and_bad_split(tmp_path):
    with pytest.raises(NnvizError, match="not a directory"):
        find_idx_pair(tmp_path / "absent", "train")
    with pytest.raises(NnvizError, match="unknown split"):
        find_idx_pair(tmp_path, "validation")
