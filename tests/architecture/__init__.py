"""The architecture rules of ``tests/test_architecture.py`` as pure functions over source text."""
