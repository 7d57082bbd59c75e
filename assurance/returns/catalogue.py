"""Which returns there are: one spec file per return type in assurance/returns/specs/, named after its type.

Read with nothing but the standard library, so the Board configuration can check a partner's returns against it
without loading the returns code. Adding a return type adds its spec file; nothing here changes.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from assurance.errors import AssuranceError

SPEC_DIR = Path(__file__).parent / "specs"


class SpecError(AssuranceError, ValueError):
    """A spec file is inconsistent; the message says which file and what to fix."""


def spec_files(directory: Path = SPEC_DIR) -> dict[str, Path]:
    """Return type -> its spec file, in the order of the file names."""
    return {path.stem: path for path in sorted(Path(directory).glob("*.toml"))}


def read_spec_file(path: Path) -> dict:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{Path(path).name} is not valid TOML: {exc}") from None
    if raw.get("type") != Path(path).stem:
        raise SpecError(f"{Path(path).name}: type must be {Path(path).stem!r}, the file's name (it is "
                        f"{raw.get('type')!r}).")
    if not str(raw.get("title", "")).strip():
        raise SpecError(f"{Path(path).name}: the return needs a title.")
    return raw


def return_titles(directory: Path = SPEC_DIR) -> dict[str, str]:
    """Return type -> its title, e.g. 'activity' -> 'Safeguarding activity return'."""
    return {rtype: read_spec_file(path)["title"] for rtype, path in spec_files(directory).items()}


RETURN_TYPES = return_titles()
