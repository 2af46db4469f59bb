"""nnviz's version: the package's, the wheel's (pyproject reads it from here)."""

__version__ = "0.1.0"
