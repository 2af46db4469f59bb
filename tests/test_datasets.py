"""Loading the embedded subset, IDX directories and .npz files, and refusing bad ones."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.datasets import Dataset, has_test_split, load_dataset
from nnviz.core.errors import NnvizError
from nnviz.core.idx import write_idx
from nnviz.core.paths import EMBEDDED_DATASET


@pytest.fixture
def tmp_path(tmp_path_factory):
    """A fresh directory named "case<n>": pytest's own is named after the test, and then a
    message check such as match="truncated" could succeed on the path alone."""
    return tmp_path_factory.mktemp("case")


# --- the embedded subset -----------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded() -> dict[str, Dataset]:
    return {split: load_dataset(None, split) for split in ("train", "test", "all")}


def test_embedded_split_sizes(embedded):
    assert len(embedded["train"]) == 8500
    assert len(embedded["test"]) == 1500
    assert len(embedded["all"]) == 10000
    for split, data in embedded.items():
        assert data.split == split
        assert data.images.shape == (len(data), 28, 28) and data.images.dtype == np.uint8
        assert data.labels.shape == (len(data),)


def test_default_split_is_test():
    assert len(load_dataset()) == 1500


def test_embedded_split_is_stratified(embedded):
    test_counts = embedded["test"].class_counts()
    all_counts = embedded["all"].class_counts()
    assert (all_counts > 0).all()
    share = test_counts / all_counts
    assert np.all(np.abs(share - 0.15) <= 0.01), share


def test_embedded_split_is_disjoint(embedded):
    train = {x.tobytes() for x in embedded["train"].images}
    test = {x.tobytes() for x in embedded["test"].images}
    assert not train & test
    # ...and together they are the whole subset.
    assert len(train | test) == len({x.tobytes() for x in embedded["all"].images})


def test_embedded_digits_look_like_mnist(embedded):
    data = embedded["test"]
    # Light ink on black: the border is background, and every digit has full-strength ink.
    assert data.images[:, 0, :].max() == 0 and data.images[:, :, 0].max() == 0
    assert data.images.reshape(len(data), -1).max(axis=1).min() >= 200


def test_inputs_are_unit_floats(embedded):
    x = embedded["test"].inputs()
    assert x.shape == (1500, 784) and x.dtype == np.float64
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_allclose(x[0], embedded["test"].images[0].reshape(-1) / 255)


def test_embedded_has_test_split():
    assert has_test_split(None)
    assert has_test_split(EMBEDDED_DATASET)


# --- IDX directories -----------------------------------------------------------------------


def _fake_digits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)


def _write_split(directory, stem, images, labels, gz=".gz"):
    write_idx(directory / f"{stem}-images-idx3-ubyte{gz}", images)
    write_idx(directory / f"{stem}-labels-idx1-ubyte{gz}", labels)


def test_idx_directory(tmp_path):
    train_x, train_y = _fake_digits(12, 0)
    test_x, test_y = _fake_digits(5, 1)
    _write_split(tmp_path, "train", train_x, train_y)
    _write_split(tmp_path, "t10k", test_x, test_y, gz="")
    train = load_dataset(tmp_path, "train")
    np.testing.assert_array_equal(train.images, train_x)
    np.testing.assert_array_equal(train.labels, train_y)
    assert train.labels.dtype.kind == "i" and train.split == "train"
    test = load_dataset(str(tmp_path), "test")
    np.testing.assert_array_equal(test.images, test_x)
    both = load_dataset(tmp_path, "all")
    np.testing.assert_array_equal(both.labels, np.concatenate([train_y, test_y]))
    assert has_test_split(tmp_path)
    assert train.source == str(tmp_path)


def test_idx_directory_without_test_files(tmp_path):
    _write_split(tmp_path, "train", *_fake_digits(4, 0))
    assert not has_test_split(tmp_path)
    with pytest.raises(NnvizError, match="no test IDX files") as e:
        load_dataset(tmp_path, "test")
    assert str(tmp_path) in str(e.value)
    assert len(load_dataset(tmp_path, "all")) == 4  # "all" is what there is


def test_idx_prefixed_names(tmp_path):
    x, y = _fake_digits(3, 2)
    write_idx(tmp_path / "fashion-train-images-idx3-ubyte.gz", x)
    write_idx(tmp_path / "fashion-train-labels-idx1-ubyte.gz", y)
    data = load_dataset(tmp_path, "train")
    assert data.name == "fashion" and len(data) == 3
    np.testing.assert_array_equal(data.images, x)


def test_emnist_images_are_turned_upright(tmp_path):
    upright = np.zeros((1, 28, 28), np.uint8)
    upright[0, 4:24, 13:15] = 255  # a vertical bar, a "1"
    write_idx(tmp_path / "emnist-digits-test-images-idx3-ubyte", upright.transpose(0, 2, 1))
    write_idx(tmp_path / "emnist-digits-test-labels-idx1-ubyte", np.array([1], np.uint8))
    data = load_dataset(tmp_path, "test")
    assert data.name == "emnist-digits"
    np.testing.assert_array_equal(data.images, upright)


def test_idx_length_mismatch(tmp_path):
    x, y = _fake_digits(4, 0)
    _write_split(tmp_path, "train", x, y[:3])
    with pytest.raises(NnvizError, match="4 images but 3 labels") as e:
        load_dataset(tmp_path, "train")
    assert "train-labels-idx1-ubyte.gz" in str(e.value)


def test_idx_labels_out_of_range(tmp_path):
    x, _ = _fake_digits(3, 0)
    _write_split(tmp_path, "train", x, np.array([1, 10, 2], dtype=np.uint8))
    with pytest.raises(NnvizError, match="0..9"):
        load_dataset(tmp_path, "train")


def test_idx_images_wrong_kind(tmp_path):
    _write_split(tmp_path, "train", np.zeros((3, 28, 28), np.float32), np.zeros(3, np.uint8))
    with pytest.raises(NnvizError, match="train-images-idx3-ubyte.gz: expected uint8"):
        load_dataset(tmp_path, "train")


def test_idx_file_given_instead_of_directory(tmp_path):
    _write_split(tmp_path, "train", *_fake_digits(2, 0))
    with pytest.raises(NnvizError, match="pass the directory"):
        load_dataset(tmp_path / "train-images-idx3-ubyte.gz")


# --- npz files ------------------------------------------------------------------------------


def test_npz_with_mask(tmp_path):
    x, y = _fake_digits(10, 3)
    mask = np.zeros(10, dtype=bool)
    mask[[1, 4, 7]] = True
    path = tmp_path / "mine.npz"
    np.savez(path, images=x, labels=y, test=mask)
    test = load_dataset(path, "test")
    train = load_dataset(path, "train")
    np.testing.assert_array_equal(test.images, x[mask])
    np.testing.assert_array_equal(train.labels, y[~mask])
    assert len(load_dataset(path, "all")) == 10
    assert has_test_split(path)
    assert test.name == "mine" and test.source == str(path)


def test_npz_without_mask_is_whole_file_whatever_the_split(tmp_path):
    x, y = _fake_digits(6, 4)
    path = tmp_path / "plain.npz"
    np.savez_compressed(path, images=x, labels=y)
    assert not has_test_split(path)
    for split in ("train", "test", "all"):
        data = load_dataset(path, split)
        assert len(data) == 6 and data.split == "all"


def test_npz_flat_rows_and_unit_floats(tmp_path):
    x, y = _fake_digits(4, 5)
    flat = tmp_path / "flat.npz"
    np.savez(flat, images=x.reshape(4, 784), labels=y)
    np.testing.assert_array_equal(load_dataset(flat).images, x)
    floats = tmp_path / "floats.npz"
    np.savez(floats, images=x / 255.0, labels=y.astype(np.int64))
    np.testing.assert_array_equal(load_dataset(floats).images, x)
    halves = tmp_path / "halves.npz"  # rounded to the nearest level, not truncated
    np.savez(halves, images=np.full((1, 28, 28), 0.999), labels=[3])
    assert (load_dataset(halves).images == 255).all()


def test_other_image_sizes_are_kept(tmp_path):
    path = tmp_path / "small.npz"
    np.savez(path, images=np.zeros((3, 8, 8), np.uint8), labels=np.arange(3))
    data = load_dataset(path)
    assert data.images.shape == (3, 8, 8) and data.inputs().shape == (3, 64)


def _npz(tmp_path, **arrays):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    return path


X, Y = _fake_digits(5, 6)


@pytest.mark.parametrize(
    "arrays, message",
    [
        ({"images": X, "labels": Y[:4]}, "5 images but 4 labels"),
        ({"images": X, "labels": np.array([0, 1, 2, 3, 12])}, "0..9"),
        ({"images": X, "labels": np.array([0, 1, 2, 3, -1])}, "0..9"),
        ({"images": X, "labels": Y.astype(float)}, "integers"),
        ({"images": X, "labels": np.eye(10)[Y]}, "one-hot"),
        ({"images": X * 2.0, "labels": Y}, r"\[0, 1\]"),
        ({"images": X.astype(np.int16), "labels": Y}, "int16"),
        ({"images": np.stack([X] * 3, axis=-1), "labels": Y}, "shape"),
        ({"images": X.reshape(5, -1)[:, :700], "labels": Y}, "shape"),
        ({"images": X}, "'labels'"),
        ({"pixels": X, "labels": Y}, "'images'"),
        ({"images": X, "labels": Y, "test": np.ones(5)}, "boolean mask"),
        ({"images": X, "labels": Y, "test": np.zeros(5, bool)}, "test split is empty"),
        ({"images": X[:0], "labels": Y[:0]}, "no images"),
    ],
)
def test_bad_npz(tmp_path, arrays, message):
    path = _npz(tmp_path, **arrays)
    with pytest.raises(NnvizError, match=message) as e:
        load_dataset(path, "test")
    assert str(path) in str(e.value) and "\n" not in str(e.value)


def test_pickled_npz_refused(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, images=np.array([X[0], "x"], dtype=object), labels=Y[:2])
    with pytest.raises(NnvizError, match="needs pickle to load, refused") as e:
        load_dataset(path)
    assert str(path) in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(NnvizError, match="no such file") as e:
        load_dataset(tmp_path / "absent.npz")
    assert "absent.npz" in str(e.value)
    with pytest.raises(NnvizError, match="absent.npz"):
        has_test_split(tmp_path / "absent.npz")


@pytest.mark.parametrize("content", [b"images,labels\n1,2\n", b"", b"\x93NUMPY fake"])
def test_not_an_npz(tmp_path, content):
    path = tmp_path / "data.npz"
    path.write_bytes(content)
    with pytest.raises(NnvizError, match="not an .npz file") as e:
        load_dataset(path)
    assert str(path) in str(e.value)


def test_truncated_npz(tmp_path):
    good = _npz(tmp_path, images=X, labels=Y).read_bytes()
    path = tmp_path / "cut.npz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(NnvizError, match="cut.npz"):
        load_dataset(path)


def test_unknown_split():
    with pytest.raises(NnvizError, match="unknown split"):
        load_dataset(None, "validation")
