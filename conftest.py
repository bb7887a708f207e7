"""Collection rules for the doctests in ``src``: the pandas frames need the frames extra."""

from importlib.util import find_spec

collect_ignore = [] if find_spec("pandas") else ["src/o2c/book/frames.py"]
