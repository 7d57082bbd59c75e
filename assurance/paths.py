"""Where the product's files are: what ships with the code (read only) and the instance folder that holds what
an installation changes.

- data/ ships reference files (codelists, bank holidays, population baselines, England's figures): read, never
  written by the app.
- assurance/defaults/ ships the default Board configuration and framework for a new installation.
- The instance folder (ASSURANCE_INSTANCE_DIR, else instance/ in the project folder, which git ignores) holds the
  installation's own board.toml and framework.toml and the population baselines an administrator loads. The Admin
  pages write there, so an administrator's change never touches the code.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
DEFAULT_INSTANCE_DIR = PROJECT_ROOT / "instance"


def instance_dir() -> Path:
    """The installation's own folder: ASSURANCE_INSTANCE_DIR, or instance/ in the project folder."""
    env = os.environ.get("ASSURANCE_INSTANCE_DIR")
    return Path(env).expanduser() if env else DEFAULT_INSTANCE_DIR


def installed_file(name: str) -> Path:
    """The instance folder's NAME, made on first use: a copy of an earlier installation's data/NAME if there is
    one (where configuration used to be kept), else of the shipped default. An existing copy is never replaced."""
    folder = instance_dir()
    path = folder / name
    if path.exists():
        return path
    earlier = DATA_DIR / name
    source = earlier if earlier.is_file() else DEFAULTS_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.link(tmp, path)  # never replaces a copy made meanwhile by another process
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return path
