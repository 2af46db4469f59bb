"""Held frames converted to the video's pixel format once, not once per repeat.

A ``wait`` (and every frame manim holds still) reaches manim 0.22's
``VideoSegmentEncoder.write_frame`` as one RGBA picture with ``repeat=n``; manim converts the
same picture to YUV n times, one full-frame colour conversion per video frame. The lesson holds
still for a large part of its running time (the pause after each beat), so at 1080p60 those
conversions are a large part of the encoder's work. :func:`convert_held_frames_once` makes
``write_frame`` convert a repeated picture once and encode that converted frame n times, each
with its own timestamp; the encoder receives the same pixels, so the video is the same.

    >>> convert_held_frames_once()  # in a scene's setup; calling it again changes nothing
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import av
import numpy as np

__all__ = ["convert_held_frames_once"]

_PATCHED = "_nnviz_converts_held_frames_once"


def _write_frame(self: Any, pixels: np.ndarray, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame`` with the conversion taken out of the repeat loop."""
    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
        if repeat > 1:
            # What the codec context would do to each repeat on its own (same reformatter
            # defaults: size unchanged, the stream's pixel format).
            frame = frame.reformat(format=self.spec.pixel_format)
        for _ in range(repeat):
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def convert_held_frames_once() -> bool:
    """Install the once-per-picture conversion into manim's encoder; False where manim differs.

    Only manim's own ``write_frame`` of 0.22 (checked by the attributes it uses) is replaced;
    another manim keeps its encoder as it is.
    """
    try:
        from manim.scene.video_segment_encoder import VideoSegmentEncoder
    except ImportError:
        return False
    if getattr(VideoSegmentEncoder, _PATCHED, False):
        return True
    needed = ("_validate_frame", "_operation_error", "write_frame")
    if not all(hasattr(VideoSegmentEncoder, name) for name in needed):
        return False
    VideoSegmentEncoder.write_frame = _write_frame  # type: ignore[method-assign]
    setattr(VideoSegmentEncoder, _PATCHED, True)
    return True
