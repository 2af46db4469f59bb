"""Join scene videos into one MP4 with a chapter per scene, with PyAV (manim's own video library).

When every video has the same codec, size, frame rate, pixel format and codec set-up (what
manim writes for one quality), the packets are copied, not re-encoded: each video's
timestamps are shifted by the length of the videos before it, so the join takes seconds and
loses nothing. Otherwise the frames are decoded and encoded again with H.264 at the first
video's size and rate. The chapters are MP4 chapter metadata (what ffprobe's
``-show_chapters`` and players' chapter menus read). Audio is not carried over: the lesson's
scenes have none.

Example::

    from nnviz.lesson.join import join_videos

    joined = join_videos([Path("a.mp4"), Path("b.mp4")], Path("ab.mp4"), ["First", "Second"])
    joined.starts, joined.duration, joined.copied       # ([0.0, 4.2], 7.5, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..core.errors import NnvizError


@dataclass(frozen=True)
class VideoInfo:
    """What decides whether videos can be joined without re-encoding, and the video's length."""

    codec: str
    width: int
    height: int
    rate: Fraction
    pix_fmt: str
    extradata: bytes
    duration: float
    has_audio: bool

    def copy_key(self) -> tuple[object, ...]:
        """Videos with equal keys can be joined by copying their packets."""
        return (self.codec, self.width, self.height, self.rate, self.pix_fmt, self.extradata)


@dataclass(frozen=True)
class Joined:
    """The joined video: where each input starts (seconds), its total length, how it was made."""

    starts: list[float]
    duration: float
    copied: bool
    dropped_audio: bool


def _fraction(rational: Any) -> Fraction:
    """A PyAV rational (a Fraction up to PyAV 18, an AVRational after) as a Fraction; 0 if unset."""
    if not rational:
        return Fraction(0)
    return Fraction(rational.numerator, rational.denominator)


def _open(path: Path) -> Any:
    import av

    try:
        return av.open(str(path))
    except (OSError, av.FFmpegError) as e:
        raise NnvizError(f"{path}: cannot read it as a video ({e})") from None


def probe(path: Path) -> VideoInfo:
    """The first video stream of ``path``: codec set-up and duration (seconds)."""
    with _open(path) as container:
        if not container.streams.video:
            raise NnvizError(f"{path}: has no video stream")
        stream = container.streams.video[0]
        ctx = stream.codec_context
        if stream.duration is not None and stream.time_base:
            duration = float(stream.duration * _fraction(stream.time_base))
        else:
            duration = float(container.duration or 0) / 1_000_000
        # The nominal rate (r_frame_rate): the average one drifts with the last frame's length.
        rate = _fraction(stream.base_rate) or _fraction(stream.average_rate)
        return VideoInfo(
            codec=ctx.name,
            width=ctx.width,
            height=ctx.height,
            rate=rate,
            pix_fmt=str(ctx.pix_fmt),
            extradata=bytes(ctx.extradata or b""),
            duration=duration,
            has_audio=bool(container.streams.audio),
        )


def _chapters(starts: Sequence[float], end: float, titles: Sequence[str]) -> list[Any]:
    """MP4 chapters in milliseconds: each runs from its start to the next one's (the last: ``end``)."""
    bounds = [round(s * 1000) for s in starts] + [round(end * 1000)]
    return [
        {"id": i + 1, "start": bounds[i], "end": max(bounds[i], bounds[i + 1]),
         "time_base": Fraction(1, 1000), "metadata": {"title": title}}
        for i, title in enumerate(titles)
    ]  # fmt: skip


def _copy_packets(inputs: Sequence[Path], output: Any, titles: Sequence[str] | None) -> tuple[list[float], float]:
    """Copy every video packet of ``inputs``, shifted in time; returns the starts and the end."""
    with _open(inputs[0]) as first:
        out_stream = output.add_stream_from_template(first.streams.video[0])
    # The chapters must be known before the header is written; copying only shifts timestamps,
    # so each input's length is its last frame's end, read here in a first pass without decoding.
    lengths, firsts = [], []
    for path in inputs:
        with _open(path) as container:
            stream = container.streams.video[0]
            first_pts: int | None = None
            end = 0
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                first_pts = packet.pts if first_pts is None else min(first_pts, packet.pts)
                end = max(end, packet.pts + (packet.duration or 0))
            firsts.append(first_pts or 0)
            lengths.append((end - (first_pts or 0)) * _fraction(stream.time_base))
    starts = [sum(lengths[:i], Fraction(0)) for i in range(len(inputs))]
    total = sum(lengths, Fraction(0))
    if titles is not None:
        output.set_chapters(_chapters([float(s) for s in starts], float(total), titles))
    for path, start, first_pts in zip(inputs, starts, firsts):
        with _open(path) as container:
            stream = container.streams.video[0]
            shift = round(start / _fraction(stream.time_base)) - first_pts
            for packet in container.demux(stream):
                if packet.pts is None or packet.dts is None:
                    continue  # the empty packet that ends a stream
                packet.pts += shift
                packet.dts += shift
                packet.stream = out_stream
                output.mux(packet)
    return [float(s) for s in starts], float(total)


def _reencode(
    inputs: Sequence[Path], output: Any, titles: Sequence[str] | None, first: VideoInfo
) -> tuple[list[float], float]:
    """Decode every frame and encode it again as H.264 at the first video's size and rate."""
    rate = first.rate.limit_denominator(1001) if first.rate > 0 else Fraction(30)
    out_stream = output.add_stream("libx264", rate=rate)
    out_stream.width, out_stream.height = first.width - first.width % 2, first.height - first.height % 2
    out_stream.pix_fmt = "yuv420p"
    out_stream.codec_context.time_base = 1 / rate
    counts = []
    for path in inputs:  # frame counts first: the chapters go into the header
        with _open(path) as container:
            counts.append(sum(1 for _ in container.decode(video=0)))
    starts = [float(sum(counts[:i]) / rate) for i in range(len(inputs))]
    total = float(sum(counts) / rate)
    if titles is not None:
        output.set_chapters(_chapters(starts, total, titles))
    index = 0
    for path in inputs:
        with _open(path) as container:
            for frame in container.decode(video=0):
                frame = frame.reformat(width=out_stream.width, height=out_stream.height, format="yuv420p")
                frame.pts, frame.time_base = index, 1 / rate
                index += 1
                for packet in out_stream.encode(frame):
                    output.mux(packet)
    for packet in out_stream.encode(None):
        output.mux(packet)
    return starts, total


def join_videos(inputs: Sequence[Path], out: Path, titles: Sequence[str] | None, fmt: str = "mp4") -> Joined:
    """Join ``inputs`` into ``out`` (written in place: give a temporary name), one chapter each.

    ``titles`` name the chapters, one per input (None: no chapters). Raises :class:`NnvizError` on an unreadable
    input; on any error ``out`` may be left half written (the caller removes it).
    """
    import av

    if not inputs:
        raise NnvizError("no videos to join")
    if titles is not None and len(titles) != len(inputs):
        raise ValueError("one chapter title per input video")
    infos = [probe(p) for p in inputs]
    copied = len({i.copy_key() for i in infos}) == 1 and infos[0].codec in ("h264", "hevc", "mpeg4", "av1")
    with av.open(str(out), "w", format=fmt, options={"movflags": "+faststart"}) as output:
        if copied:
            starts, total = _copy_packets(inputs, output, titles)
        else:
            starts, total = _reencode(inputs, output, titles, infos[0])
    return Joined(starts, total, copied, dropped_audio=any(i.has_audio for i in infos))


__all__ = ["Joined", "VideoInfo", "join_videos", "probe"]
