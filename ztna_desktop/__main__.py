"""Entry point for ``python -m ztna_desktop``."""

from ztna_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
