"""nnviz's shipped data as the package ``nnviz.assets``: the embedded MNIST subset and the shipped networks.

Not code: this file makes the folder a package, so an install carries the data as package data
and ``importlib.resources.files("nnviz.assets")`` finds it (see :mod:`nnviz.core.paths`).
Provenance and licences are in README.md beside it.
"""
