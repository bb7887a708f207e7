"""Golden files of rendered documents and CLI reports."""
