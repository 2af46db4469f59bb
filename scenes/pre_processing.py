"""Pre-processing: a picture of a digit becomes the 28x28 input the network reads, step by step.

Render: ``manim render -ql --save_sections scenes/pre_processing.py PreProcessing``, or
``nnviz render PreProcessing --digit my_drawing.png`` for your own picture.
Every number on screen is ``nnviz.preprocess_steps`` of the picture shown (the same steps, bit for
bit, as ``nnviz.preprocess``) and the network's forward pass of its result. With your own image the
picture is that file. A test digit has no drawing behind it (MNIST keeps only the 28x28 result), so
the scene prints it: its pixels enlarged ``print_scale`` times, dark on white, off-centre on a larger
page (``LessonSettings.digit().picture``), and says so on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    MoveToTarget,
    Text,
    VGroup,
)

from nnviz import (
    AnswerColumn,
    BoundingBox,
    CentreOfMass,
    InputCanvas,
    LessonScene,
    PicturePanel,
    PixelGrid,
    PreprocessSteps,
    ScaleArrow,
    preprocess_steps,
)


class PreProcessing(LessonScene):
    """A picture's ink boxed, scaled to 20 px, centred by its centre of mass in 28x28, and read."""

    #: How a test digit is printed for the steps to work on (see ``Digit.picture``).
    print_scale: int = 4
    print_canvas: tuple[int, int] = (160, 200)
    print_top_left: tuple[int, int] = (12, 16)
    #: The picture's panel: its largest size (manim units) and where its centre is.
    picture_height: float = 3.6
    picture_width: float = 4.4
    picture_center: np.ndarray = np.array([-4.6, -0.15, 0.0])
    #: Side of one pixel of the 20 px patch and of the 28x28 input.
    pixel_size: float = 0.12
    patch_center: np.ndarray = np.array([1.2, -0.15, 0.0])
    canvas_center: np.ndarray = np.array([5.2, -0.15, 0.0])
    #: The last beat, in one row: the picture made smaller, the 784 inputs, the ten outputs.
    final_picture_scale: float = 0.5
    final_picture_center: np.ndarray = np.array([-5.6, -0.15, 0.0])
    final_canvas_center: np.ndarray = np.array([-1.5, -0.15, 0.0])
    answer_center: np.ndarray = np.array([4.9, -0.15, 0.0])
    #: Typography by role (nnviz.theme): one caption line under the steps, a little larger.
    theme_overrides: ClassVar[dict[str, float]] = {"caption_font_size": 26}

    def construct(self) -> None:
        self.the_picture()
        self.ink()
        self.bounding_box()
        self.scale_to_20()
        self.centre_of_mass()
        self.into_28x28()
        self.the_answer()

    # -- the numbers -------------------------------------------------------------------------------
    def picture(self) -> Path | np.ndarray:
        """What the steps start from: the user's image file, or the printed test digit."""
        return self.digit.picture(self.print_scale, self.print_canvas, self.print_top_left)

    def picture_name(self, steps: PreprocessSteps) -> str:
        rows, cols = steps.gray.shape
        if self.digit.index is None:
            return f"{self.digit.description}: {cols} x {rows} px"
        return (
            f"test digit #{self.digit.index} printed {self.print_scale}x larger, dark on white, "
            f"off-centre: {cols} x {rows} px"
        )

    # -- helpers -------------------------------------------------------------------------------------
    def caption(self, text: str) -> None:
        """Replace the line under the steps with ``text``."""
        new = Text(text, font_size=self.theme.caption_font_size)
        new.scale_to_fit_width(min(new.width, 13.4)).to_edge(DOWN, buff=0.35)
        old = getattr(self, "_caption", None)
        if old is not None:
            self.bring_to_front(old)  # so that only the two captions are redrawn while they fade
        self.play(*([FadeOut(old)] if old is not None else []), FadeIn(new), run_time=0.6)
        self._caption = new
        self.captions.append(text)

    def label_above(self, mobject: VGroup, text: str) -> Text:
        return Text(text, font_size=self.theme.caption_font_size, color=self.theme.axis_color).next_to(
            mobject, UP, buff=0.3
        )

    # -- beats -----------------------------------------------------------------------------------------
    def the_picture(self) -> None:
        self.steps = s = preprocess_steps(self.picture())
        self.captions: list[str] = []
        rows, cols = s.gray.shape
        self.beat(
            "the_picture",
            notes="A network trained on MNIST only reads digits prepared the way MNIST's were. "
            f"Here is a picture of a digit, {cols} by {rows} pixels.",
        )
        self.heading = Text(
            f"Pre-processing: from a picture to {s.final.size} numbers", font_size=self.theme.text_font_size
        )
        self.heading.to_edge(UP, buff=0.3)
        height = min(self.picture_height, self.picture_width * rows / cols)
        self.panel = PicturePanel(s.gray, height=height).move_to(self.picture_center)
        self.picture_label = self.label_above(self.panel, "the picture")
        self.play(FadeIn(self.heading), FadeIn(self.panel), FadeIn(self.picture_label), run_time=1.2)
        self.caption(self.picture_name(s))
        self.wait(self.theme.beat_pause)

    def ink(self) -> None:
        s = self.steps
        paper = "light" if s.inverted else "dark"
        self.beat(
            "ink",
            notes=f"The paper is {paper} (gray level {s.background:.2f} at the border). Subtract it"
            + (", turn dark ink bright" if s.inverted else "")
            + " and scale so the strongest stroke is 1: bright ink on black, as in MNIST.",
        )
        ink = PicturePanel(s.ink, height=self.panel.height).move_to(self.panel)
        label = self.label_above(ink, "the ink")
        self.play(FadeOut(self.panel), FadeIn(ink), FadeOut(self.picture_label), FadeIn(label), run_time=1.0)
        self.panel, self.picture_label = ink, label
        turned = "dark ink turned bright, " if s.inverted else ""
        self.caption(f"ink: paper level {s.background:.2f} subtracted, {turned}strongest stroke = 1")
        self.wait(self.theme.beat_pause)

    def bounding_box(self) -> None:
        s = self.steps
        (r0, r1), (c0, c1) = s.box_rows, s.box_cols
        height, width = s.box_size
        self.beat(
            "bounding_box",
            notes=f"The bounding box of the ink: rows {r0} to {r1}, columns {c0} to {c1}, "
            f"{height} by {width} pixels. Only this part of the picture matters.",
        )
        self.box = BoundingBox(self.panel, s.box_rows, s.box_cols)
        self.play(Create(self.box.rect), FadeIn(self.box.height_label), FadeIn(self.box.width_label), run_time=1.0)
        self.caption(f"bounding box of the ink: rows {r0}–{r1}, columns {c0}–{c1}: {height} x {width} px")
        self.wait(self.theme.beat_pause)

    def scale_to_20(self) -> None:
        s = self.steps
        longest, side = max(s.cropped.shape), max(s.patch.shape)
        self.beat(
            "scale_to_20",
            notes=f"Scale the box so its longest side is {side} pixels: {longest} pixels times {s.scale:.3f}. "
            "The aspect ratio stays; the resampling (Lanczos) averages the picture's pixels into fewer.",
        )
        # The box's contents (thickened when the strokes would end up thinner than MNIST's).
        px = self.panel.height / s.gray.shape[0]
        crop = PicturePanel(s.cropped, height=px * s.cropped.shape[0]).move_to(self.box.rect)
        self.patch = PixelGrid(s.patch, pixel_size=self.pixel_size).move_to(self.patch_center)
        self.patch_label = self.label_above(self.patch, f"{s.patch.shape[0]} x {s.patch.shape[1]} px")
        if s.grow:
            stroke = (
                f"strokes {s.stroke_width:.1f} px wide would be {s.stroke_in_box:.1f} px at {side} px: "
                f"widened by {s.grow} px each side"
            )
        else:
            stroke = (
                f"strokes {s.stroke_width:.1f} px wide become {s.stroke_in_box:.1f} px at {side} px: "
                "thick enough, left as they are"
            )
        self.play(FadeIn(crop), run_time=0.5)
        self.caption(stroke)
        self.arrow = ScaleArrow(self.panel.get_right(), self.patch.get_left(), s.scale, s.cropped.shape)
        self.play(GrowArrow(self.arrow.arrow), FadeIn(self.arrow.label), run_time=0.8)
        self.play(crop.animate.scale_to_fit_height(self.patch.height).move_to(self.patch), run_time=1.2)
        self.play(FadeOut(crop), FadeIn(self.patch), FadeIn(self.patch_label), run_time=0.8)
        widened = f" ({max(s.box_size)} + 2 x {s.grow})" if s.grow else ""
        self.caption(
            f"longest side {longest} px{widened} x {s.scale:.3f} = {side} px: "
            f"a {s.patch.shape[0]} x {s.patch.shape[1]} px patch"
        )
        self.wait(self.theme.beat_pause)

    def centre_of_mass(self) -> None:
        s = self.steps
        r, c = s.centre_of_mass
        self.beat(
            "centre_of_mass",
            notes=f"The centre of mass of the patch's ink: row {r:.2f}, column {c:.2f}, "
            "each pixel weighted by its brightness.",
        )
        self.mark = CentreOfMass(self.patch, s.centre_of_mass)
        self.play(FadeIn(self.mark, scale=2), run_time=0.8)
        self.caption(f"centre of mass of the patch's ink: row {r:.2f}, column {c:.2f}")
        self.wait(self.theme.beat_pause)

    def into_28x28(self) -> None:
        s = self.steps
        (dr, dc), (pr, pc) = s.offset, s.placed_centre
        self.beat(
            "into_28x28",
            notes=f"Place the patch in a {s.final.shape[0]} by {s.final.shape[1]} image so that its centre of mass "
            f"lands on pixel ({pr:.0f}, {pc:.0f}), where MNIST's digits have theirs: its top-left corner goes to row "
            f"{dr:.2f}, column {dc:.2f}, a fraction of a pixel included.",
        )
        self.canvas = InputCanvas(pixel_size=self.pixel_size).move_to(self.canvas_center)
        self.canvas_label = self.label_above(self.canvas, f"{s.final.shape[0]} x {s.final.shape[1]} input")
        self.play(FadeIn(self.canvas), FadeIn(self.canvas_label), run_time=0.8)
        target = self.canvas.patch_center(s.patch.shape, s.offset)
        moving = VGroup(self.patch, self.mark)
        self.play(moving.animate.shift(target - self.patch.get_center()), FadeOut(self.patch_label), run_time=1.6)
        self.caption(f"top-left corner to row {dr:.2f}, column {dc:.2f}: centre of mass on pixel ({pr:.0f}, {pc:.0f})")
        self.final = PixelGrid(s.final, pixel_size=self.pixel_size).move_to(self.canvas.outline)
        self.play(FadeOut(self.patch), FadeOut(self.mark), FadeIn(self.final), run_time=1.0)
        self.caption(
            f"sub-pixel shift, brightest pixel ({s.brightness:.2f}) scaled to 1: "
            f"the {s.final.size} values the network gets"
        )
        self.wait(self.theme.beat_pause)

    def the_answer(self) -> None:
        s = self.steps
        trace = self.network.forward(s.final)
        self.answer = AnswerColumn(trace.output).move_to(self.answer_center)
        guess = self.answer.winner
        self.beat(
            "the_answer",
            notes=f"These {s.final.size} numbers are the network's input. Its brightest output is {guess} "
            f"({trace.output[guess]:.2f}): that is its answer.",
        )
        # The whole way in one row: the picture (small), the 784 inputs, the network's answer.
        picture = VGroup(self.panel, self.box, self.picture_label)
        picture.generate_target()
        picture.target.scale(self.final_picture_scale)
        picture.target.shift(self.final_picture_center - picture.target[0].get_center())  # the panel, level
        shown = VGroup(self.canvas, self.final)
        self.play(
            FadeOut(self.arrow),
            FadeOut(self.canvas_label),
            MoveToTarget(picture),
            shown.animate.move_to(self.final_canvas_center),
            run_time=1.0,
        )
        label = self.label_above(self.final, f"{s.final.size} inputs")
        steps = Arrow(self.panel.get_right(), self.final.get_left(), buff=0.15, color=self.theme.highlight)
        sizes = "-".join(str(n) for n in self.network.sizes)
        arrow = Arrow(self.final.get_right(), self.answer.get_left(), buff=0.35, color=self.theme.highlight)
        network = Text(f"{sizes}\nnetwork", font_size=self.theme.caption_font_size, color=self.theme.axis_color)
        network.next_to(arrow, UP, buff=0.15)
        self.play(FadeIn(label), GrowArrow(steps), GrowArrow(arrow), FadeIn(network), run_time=0.8)
        self.play(FadeIn(self.answer), run_time=1.0)
        truth = f" (test digit #{self.digit.index} is a {self.digit.label})" if self.digit.label is not None else ""
        self.caption(f"the network reads it as {guess}, output {trace.output[guess]:.2f}{truth}")
        self.wait(self.theme.beat_pause * 1.5)
