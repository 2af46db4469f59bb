"""Frames handed to manim's video encoder without copies, and held frames converted once.

manim 0.22's Cairo renderer copies every frame it draws twice on its way to the encoder: into a
new array for the encoder thread (``CairoRenderer.get_frame``), then into a new ``av.VideoFrame``
(``VideoSegmentEncoder.write_frame``); and a frame held still for n video frames (a ``wait``)
is converted to YUV n times. At 1080p60 a frame is 8 MB, and these copies and conversions cost
as much as drawing a typical lesson frame. :func:`encode_frames_in_place` changes three methods:

* ``CairoRenderer.render`` / ``freeze_current_frame`` hand the camera's own pixel array to the
  encoder and give the camera a free buffer of a small pool to draw the next frame into (every
  frame starts by painting the whole background, so the buffer's old pixels never show);
* ``VideoSegmentEncoder.write_frame`` reads the array in place, converts a held picture once and
  encodes it n times with their own timestamps, then returns the buffer to its pool.

The encoder receives the same pixels as before, so the video is the same byte for byte.

    >>> encode_frames_in_place()  # in a scene's setup; calling it again changes nothing
"""

from __future__ import annotations

import queue
from fractions import Fraction
from typing import Any

import av
import numpy as np

__all__ = ["encode_frames_in_place"]

_PATCHED = "_nnviz_encodes_frames_in_place"


class FrameBuffer(np.ndarray):
    """A camera frame of the pool: ``pool`` is where the encoder puts it back once encoded."""

    pool: queue.SimpleQueue[FrameBuffer]


def _hand_over(renderer: Any) -> np.ndarray:
    """The frame just drawn, for the encoder; the camera draws the next one into a free buffer."""
    camera = renderer.camera
    frame = camera.pixel_array
    pool = getattr(renderer, "_nnviz_frame_pool", None)
    if pool is None:
        pool = renderer._nnviz_frame_pool = queue.SimpleQueue()
    try:
        spare = pool.get_nowait()
    except queue.Empty:  # every buffer is still queued for encoding: one more
        spare = np.empty_like(frame).view(FrameBuffer)
        spare.pool = pool
    if spare.shape != frame.shape or spare.dtype != frame.dtype:
        spare = np.empty_like(frame).view(FrameBuffer)
        spare.pool = pool
    camera.pixel_array = spare
    return frame


def _render(self: Any, scene: Any, time: float, moving_mobjects: Any = None) -> None:
    """``CairoRenderer.render`` without the copy of ``get_frame``."""
    self.update_frame(scene, moving_mobjects)
    if self.skip_animations:
        return  # add_frame would drop the frame: keep drawing into the same buffer
    self.add_frame(_hand_over(self))


def _freeze_current_frame(self: Any, duration: float) -> None:
    """``CairoRenderer.freeze_current_frame`` without the copy of ``get_frame``."""
    if self.skip_animations:
        return
    self.add_frame(_hand_over(self), num_frames=int(duration / (1 / self.camera.frame_rate)))


def _write_frame(self: Any, pixels: np.ndarray, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame`` reading ``pixels`` in place, converting them once."""
    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        # A view of the picture, not a copy: converting it to the stream's pixel format (below
        # for a held frame, in the codec context otherwise) reads it before this returns.
        frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
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
    finally:
        if isinstance(pixels, FrameBuffer):
            pixels.pool.put(pixels)


def encode_frames_in_place() -> bool:
    """Install the copy-free hand-over into manim; False (nothing changed) where manim differs.

    Only manim 0.22's own methods (checked by the attributes they use) are replaced; another
    manim keeps its renderer and encoder as they are.
    """
    try:
        from manim.renderer.cairo_renderer import CairoRenderer
        from manim.scene.video_segment_encoder import VideoSegmentEncoder
    except ImportError:
        return False
    if getattr(VideoSegmentEncoder, _PATCHED, False):
        return True
    needed: list[tuple[type, tuple[str, ...]]] = [
        (VideoSegmentEncoder, ("_validate_frame", "_operation_error", "write_frame")),
        (CairoRenderer, ("render", "freeze_current_frame", "add_frame", "update_frame")),
    ]
    if not all(hasattr(cls, name) for cls, names in needed for name in names):
        return False
    VideoSegmentEncoder.write_frame = _write_frame  # type: ignore[method-assign]
    CairoRenderer.render = _render  # type: ignore[method-assign]
    CairoRenderer.freeze_current_frame = _freeze_current_frame  # type: ignore[method-assign]
    setattr(VideoSegmentEncoder, _PATCHED, True)
    return True
