"""Frames read by manim's video encoder in place, and held frames converted once.

manim 0.22's ``VideoSegmentEncoder.write_frame`` copies every frame into a new ``av.VideoFrame``
before converting it to YUV, and converts a frame held still for n video frames (a ``wait``) n
times. At 1080p60 a frame is 8 MB, and these copies and conversions cost about as much as
drawing a typical lesson frame. :func:`encode_frames_in_place` replaces ``write_frame``: it reads
the array in place, converts a held picture once and encodes it n times with their own
timestamps.

The encoder receives the same pixels as before, so the video is the same byte for byte.

    >>> encode_frames_in_place()  # in a scene's setup; calling it again changes nothing
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import av
import numpy as np

from .patching import patch_once

__all__ = ["encode_frames_in_place"]

_PATCHED = "_nnviz_encodes_frames_in_place"
#: Bytes: the row alignment of the frames FFmpeg allocates itself (av_frame_get_buffer).
ROW_ALIGNMENT = 64


def _write_frame(self: Any, pixels: np.ndarray, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame`` reading ``pixels`` in place, converting them once."""
    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        # A view of the picture, not a copy: converting it to the stream's pixel format (below
        # for a held frame, in the codec context otherwise) reads it before this returns. Only
        # rows FFmpeg's converter takes as aligned (1280, 1920, 2560, 3840 pixels wide): it can
        # convert other rows (854 pixels at 480p) differently, so those are copied as before.
        aligned = pixels.strides[0] % ROW_ALIGNMENT == 0
        frame = (av.VideoFrame.from_numpy_buffer if aligned else av.VideoFrame.from_ndarray)(pixels, format="rgba")
        if repeat > 1:
            frame = frame.reformat(format=self.spec.pixel_format)  # what encode does to each one
        for _ in range(repeat):
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def encode_frames_in_place() -> bool:
    """Install the in-place, convert-once ``write_frame``; False (nothing changed) where manim differs.

    Only manim 0.22's own encoder (checked by the attributes its method uses) is changed; another
    manim keeps its encoder as it is.
    """
    try:
        from manim.scene.video_segment_encoder import VideoSegmentEncoder
    except ImportError:
        return False
    needed = ("_validate_frame", "_operation_error", "write_frame")
    return patch_once(VideoSegmentEncoder, _PATCHED, needed, lambda: {"write_frame": _write_frame})
