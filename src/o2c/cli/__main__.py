"""``python -m o2c.cli`` runs the command line."""

from o2c.cli import main

if __name__ == "__main__":
    main()
