"""The tables layer: the only Book code with SQL, one module per aggregate.

Each module owns its tables' row layout: it writes values of the core as rows and reads
rows back as values, in both forms where the bill run keeps a compact one. Use cases
(``o2c.book.<area>``) call these functions with the session's store; nothing above this
layer writes SQL (``tests/test_architecture.py`` checks it).
"""
