"""The ``nnviz`` command: train, evaluate, predict, info, grids, download (and render, slides).

Every user error is one line on stderr naming the file or option and what to do, exit code 2,
and nothing written.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .cli_options import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    Parser,
    add_palette_argument,
    hidden_sizes,
    non_negative_int,
    positive_float,
    positive_int,
)
from .core.errors import NnvizError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from .core.network import Network
    from .core.snapshots import SnapshotPlan


# ---------------------------------------------------------------- helpers


def _load_network(path: str | None) -> Network:
    from .api import load_network

    return load_network(path)


def _weights_name(path: str | None) -> str:
    from .core.paths import SHIPPED_NETWORK

    return str(Path(path) if path else SHIPPED_NETWORK)


def _check_fits(network: Network, images: np.ndarray, weights: str, data: str) -> None:
    pixels = int(np.prod(images.shape[1:]))
    if pixels != network.sizes[0]:
        raise NnvizError(
            f"{weights}: the network takes {network.sizes[0]} inputs but {data} has "
            f"{pixels} pixels per image; use weights trained on this data"
        )


def _progress() -> Progress:
    """A progress bar on stderr: stdout stays clean for the command's own output."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )


def _print_json(value: object) -> None:
    json.dump(value, sys.stdout, indent=2)
    sys.stdout.write("\n")


def _embedded_accuracy(network: Network) -> float | None:
    from .core.datasets import load_dataset
    from .core.training import accuracy

    test = load_dataset(None, split="test")
    if network.sizes[0] != int(np.prod(test.images.shape[1:])) or network.sizes[-1] != 10:
        return None
    return accuracy(network, test.images, test.labels)


# ---------------------------------------------------------------- commands


def cmd_info(args: argparse.Namespace) -> int:
    network = _load_network(args.weights)
    acc = _embedded_accuracy(network)
    info = {
        "sizes": network.sizes,
        "activation": network.activation,
        "parameters": network.parameter_count,
        "accuracy": acc,
        "weights": str(Path(_weights_name(args.weights)).resolve()),
    }
    if args.json:
        _print_json(info)
        return 0
    print(f"weights     {info['weights']}")
    print(f"sizes       {'-'.join(map(str, network.sizes))}")
    print(f"activation  {network.activation} (hidden layers; the output layer is a sigmoid)")
    print(f"parameters  {network.parameter_count:,}")
    if acc is None:
        print("accuracy    n/a (the embedded digits do not fit this network)")
    else:
        print(f"accuracy    {acc:.4f} on the embedded held-out split")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .core.datasets import has_test_split, load_dataset
    from .core.network import Network
    from .core.training import train
    from .core.weights import save_network

    out = Path(args.out)
    if out.exists() and out.is_dir():
        raise NnvizError(f"--out {out}: is a directory; give a file name such as {out / 'network.npz'}")
    if out.suffix != ".npz":
        raise NnvizError(f"--out {out}: weights files end in .npz; use e.g. {out.with_suffix('.npz')}")
    plan = _snapshot_plan(args, out)
    data_name = args.data or "the embedded subset"
    train_set = load_dataset(args.data, split="train")
    test_set = load_dataset(args.data, split="test") if has_test_split(args.data) else None
    if plan is not None and (test_set is None or len(test_set) == 0 or args.epochs < 1):
        raise NnvizError(
            "--snapshots records the held-out accuracy and cost: it needs data with a test split and --epochs >= 1"
        )
    inputs = int(np.prod(train_set.images.shape[1:]))
    classes = max(10, int(train_set.labels.max()) + 1) if len(train_set) else 10
    network = Network([inputs, *args.hidden, classes], activation=args.activation, seed=args.seed)
    held_out = f"{len(test_set)} held-out" if test_set is not None else "no held-out split"
    print(
        f"training {'-'.join(map(str, network.sizes))} {args.activation} on {len(train_set)} digits "
        f"of {data_name} ({held_out}); {args.epochs} epochs, batch {args.batch_size}, "
        f"lr {args.lr}, {args.cost}, seed {args.seed}",
        file=sys.stderr,
    )
    with _progress() as progress:
        task = progress.add_task("epoch 1", total=1)

        def on_batch(epoch: int, batch: int, count: int) -> None:
            if batch == 1:
                progress.reset(task, total=count, description=f"epoch {epoch}/{args.epochs}")
            progress.update(task, completed=batch)

        def on_epoch(epoch: int, acc: float | None) -> None:
            text = f"held-out accuracy {acc:.4f}" if acc is not None else "done"
            progress.console.print(f"epoch {epoch}/{args.epochs}: {text}")

        test = (test_set.images, test_set.labels) if test_set is not None else None
        history = train(
            network,
            train_set.images,
            train_set.labels,
            epochs=args.epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            cost_kind=args.cost,
            seed=args.seed,
            test=test,
            on_batch=on_batch,
            on_epoch=on_epoch,
            snapshots=plan,
        )
    save_network(network, out)
    print(f"wrote {out}")
    if plan is not None and history.snapshots is not None:
        from .core.snapshots import save_snapshots

        save_snapshots(history.snapshots, args.snapshots)
        print(f"wrote {args.snapshots} ({len(history.snapshots)} snapshots)")
    return 0


def _snapshot_plan(args: argparse.Namespace, out: Path) -> SnapshotPlan | None:
    """The plan of ``--snapshots`` (None without it), its file name checked before training."""
    from .core.snapshots import SnapshotPlan

    if args.snapshots is None:
        return None
    path = Path(args.snapshots)
    if path.is_dir():
        raise NnvizError(f"--snapshots {path}: is a directory; give a file name such as {path / 'run.npz'}")
    if path.suffix != ".npz":
        raise NnvizError(f"--snapshots {path}: snapshot files end in .npz; use e.g. {path.with_suffix('.npz')}")
    if path.resolve() == out.resolve():
        raise NnvizError(f"--snapshots {path}: the same file as --out; give the snapshots a name of their own")
    return SnapshotPlan(every=args.snapshot_every, epoch_every=args.snapshot_epochs)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .core.datasets import load_dataset
    from .core.training import confusion_matrix

    network = _load_network(args.weights)
    data = load_dataset(args.data, split="test")
    if len(data) == 0:
        raise NnvizError(f"{args.data or 'embedded subset'}: no images to evaluate")
    _check_fits(network, data.images, _weights_name(args.weights), args.data or "the embedded subset")
    confusion = confusion_matrix(network, data.images, data.labels)
    acc = float(np.trace(confusion) / confusion.sum())
    if args.json:
        _print_json({"accuracy": acc, "count": len(data), "confusion": confusion.tolist()})
        return 0
    print(f"accuracy {acc:.4f} on {len(data)} digits ({data.name})")
    print("confusion (rows: true digit, columns: predicted)")
    width = max(4, len(str(confusion.max())) + 1)
    print("    " + "".join(f"{j:>{width}}" for j in range(confusion.shape[1])))
    for i, row in enumerate(confusion):
        print(f"{i:>3} " + "".join(f"{v:>{width}}" for v in row))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from .core.preprocess import preprocess

    network = _load_network(args.weights)
    if network.sizes[0] != 784:
        raise NnvizError(
            f"{_weights_name(args.weights)}: takes {network.sizes[0]} inputs, but images are "
            "pre-processed to 28x28 = 784; use a network trained on 28x28 digits"
        )
    # Pre-process everything first so that one bad file stops the run before any output.
    inputs = [preprocess(path) for path in args.images]
    results = []
    for path, x in zip(args.images, inputs):
        out = network.forward(x).output
        digit = int(np.argmax(out))
        results.append({"file": path, "digit": digit, "confidence": float(out[digit]), "activations": out.tolist()})
    if args.json:
        _print_json(results)
        return 0
    for r in results:
        acts = " ".join(f"{a:.2f}" for a in r["activations"])
        print(f"{r['file']}: {r['digit']} (confidence {r['confidence']:.2f})  outputs [{acts}]")
    return 0


def cmd_grids(args: argparse.Namespace) -> int:
    from .grids import write_grids

    network = _load_network(args.weights)
    if not 1 <= args.layer <= len(network.weights):
        raise NnvizError(f"--layer {args.layer}: the network has layers 1..{len(network.weights)} of weights")
    paths = write_grids(network, args.layer, Path(args.out), palette=args.palette)
    print(f"wrote {len(paths) - 1} neuron grids and {paths[-1]}")
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from .core.download import download_mnist

    with _progress() as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(name: str, done: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=total)
            progress.update(tasks[name], completed=done, total=total)

        path = download_mnist(args.dir, progress=on_progress)
    print(f"MNIST is in {path}; use it with --data {path}")
    return 0


# ---------------------------------------------------------------- parser

#: The commands that need only the numeric core, in the order ``nnviz --help`` lists them.
CORE_COMMANDS = ("info", "train", "evaluate", "predict", "grids", "download")


def build_parser(*, core_only: bool = False) -> argparse.ArgumentParser:
    """The argument parser of the ``nnviz`` command.

    ``core_only`` leaves out the lecture, page and serve commands, whose modules take
    tens of milliseconds to import: ``main`` uses it when the command is one of
    :data:`CORE_COMMANDS`, which parse exactly as in the full parser.

    >>> build_parser(core_only=True).parse_args(["info", "--json"]).json
    True
    """
    parser = Parser(
        prog="nnviz",
        description="A real 784-16-16-10 digit network: train, inspect and draw it with Manim.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    weights_help = "weights .npz file (default: the shipped network)"
    data_help = "a directory of IDX files, or an .npz with images and labels (default: the embedded subset)"

    p = sub.add_parser("info", help="sizes, activation, parameter count and accuracy of a network")
    p.add_argument("--weights", metavar="F", help=weights_help)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("train", help="train a network with mini-batch SGD")
    p.add_argument("--data", metavar="DIR|FILE", help=data_help)
    p.add_argument("--hidden", type=hidden_sizes, default=[16, 16], metavar="16,16", help="hidden layer sizes")
    p.add_argument("--activation", choices=["sigmoid", "relu"], default="sigmoid", help="hidden-layer activation")
    p.add_argument("--cost", choices=["cross-entropy", "quadratic"], default="cross-entropy")
    p.add_argument("--epochs", type=non_negative_int, default=40, metavar="N")
    p.add_argument("--batch-size", type=positive_int, default=32, metavar="B")
    p.add_argument("--lr", type=positive_float, default=1.0, metavar="ETA", help="learning rate")
    p.add_argument("--seed", type=non_negative_int, default=0, metavar="S")
    p.add_argument("--out", required=True, metavar="F", help="where to write the weights (.npz)")
    p.add_argument(
        "--snapshots", metavar="F",
        help="also write snapshots of the run (.npz): parameters, held-out accuracy and cost",
    )  # fmt: skip
    p.add_argument(
        "--snapshot-every", type=positive_int, default=19, metavar="K",
        help="a snapshot every K mini-batches in the first epoch (default 19)",
    )  # fmt: skip
    p.add_argument(
        "--snapshot-epochs", type=positive_int, default=2, metavar="N",
        help="then one at the end of every N-th epoch and of the last (default 2)",
    )  # fmt: skip
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="accuracy and confusion matrix on a held-out set")
    p.add_argument("--weights", metavar="F", help=weights_help)
    p.add_argument("--data", metavar="DIR|FILE", help=data_help + "; its test split is used")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("predict", help="read your own digit images")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="PNG or JPEG files, any size, either polarity")
    p.add_argument("--weights", metavar="F", help=weights_help)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("grids", help="PNG weight grids of one layer's neurons and a contact sheet")
    p.add_argument("--weights", metavar="F", help=weights_help)
    p.add_argument(
        "--layer", type=positive_int, default=1, metavar="L",
        help="layer of weights (1: into the first hidden layer)",
    )  # fmt: skip
    add_palette_argument(p, "classic", "colours of the weight signs")
    p.add_argument("--out", required=True, metavar="DIR", help="directory for the PNG files")
    p.set_defaults(func=cmd_grids)

    p = sub.add_parser("download", help="download full MNIST (needs a network), verified by SHA-256")
    p.add_argument("--dir", metavar="DIR", help="cache directory (default: $NNVIZ_CACHE or ~/.cache/nnviz/mnist)")
    p.set_defaults(func=cmd_download)

    if core_only:
        return parser
    from .cli_lecture import add_commands
    from .cli_page import add_page_commands
    from .cli_serve import add_serve_command

    add_commands(sub)  # scenes, render, slides: they load manim only when they run
    add_page_commands(sub)
    add_serve_command(sub)
    return parser


def _catch_ctrl_c() -> Callable[[], None]:
    """Make Ctrl-C (SIGINT) raise ``KeyboardInterrupt`` however nnviz was started; returns the undo.

    A process started in the background by a shell without job control (a script's ``&``, a
    test runner sent to the background) inherits SIGINT ignored, and Python then never raises
    ``KeyboardInterrupt``: ``nnviz train`` ran all its epochs after Ctrl-C. Only the main
    thread may set a handler; elsewhere (``main`` called from a thread) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)

    def restore() -> None:
        if previous is not None:  # None: a handler set outside Python, which Python cannot restore
            signal.signal(signal.SIGINT, previous)

    return restore


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``nnviz`` command; returns the exit code (130 after Ctrl-C)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # A core command's sub-parser (its options, --help, errors) is the same in both parsers;
    # only `nnviz --help` and unknown commands need the full list.
    parser = build_parser(core_only=bool(argv) and argv[0] in CORE_COMMANDS)
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    restore_ctrl_c = _catch_ctrl_c()
    try:
        return func(args)
    except NnvizError as e:
        print(f"nnviz {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        if args.command in ("render", "slides", "handout", "lecture"):  # scenes that finished stay rendered
            done = "the scenes cut short left no files; finished scenes are kept"
        else:
            done = "nothing was written"
        print(f"nnviz {args.command}: interrupted; {done}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `nnviz evaluate | head`
        return 0
    finally:
        restore_ctrl_c()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
