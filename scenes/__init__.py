"""The lesson's scene files as the package ``nnviz.scenes``, one Scene per file (see ``nnviz scenes``).

Each file is rendered by path with the manim CLI, never imported from here: this file only makes
the folder a package, so an install carries the scenes and ``importlib.resources`` finds them
(:func:`nnviz.lesson.catalog.default_scenes_dir`).
"""
