"""Fill version_info.txt.in with ztna_desktop.__version__ and write version_info.txt beside it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Turn '1.2.3rc1' into (1, 2, 3, 0): Windows wants four 16-bit integers."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:4]]
    numbers += [0] * (4 - len(numbers))
    return numbers[0], numbers[1], numbers[2], numbers[3]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from ztna_desktop import __version__

    template = (HERE / "version_info.txt.in").read_text(encoding="utf-8")
    text = template.replace("@VERSION_TUPLE@", repr(version_tuple(__version__))).replace(
        "@VERSION@", __version__
    )
    (HERE / "version_info.txt").write_text(text, encoding="utf-8")
    print(f"version_info.txt: {__version__}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
