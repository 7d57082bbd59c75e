"""Untrusted files are opened in a worker process with a memory and a time budget, never in the caller.

Each read runs `read.read_unguarded` in a fresh Python process (`python -m assurance.returns.guard`), or in
two that share a workbook's sheets when two slots are free. A worker limits its own address space (RLIMIT_AS)
and CPU time before it touches the file; the caller kills it when the wall-clock budget runs out. Whatever a
file does to a worker (a 512 GiB allocation that aborts the reader, an endless parse, a crash), the worker
dies alone and the caller gets one plain ReadError. At most READ_WORKERS workers run at once on the machine
(the app and command-line loads together); other reads wait their turn.

The cells come back column by column as (distinct values, an index per row), read with a restricted unpickler:
handing a 100,000-row return back costs a fraction of a second, and the worker's answer can only ever be data.
"""

from __future__ import annotations

import fcntl
import io
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from pathlib import Path

from assurance.returns import read
from assurance.returns.read import Limits, RawSheet, RawWorkbook, ReadError

READ_MEMORY_MB = int(os.environ.get("ASSURANCE_READ_MEMORY_MB", "3072"))
READ_SECONDS = float(os.environ.get("ASSURANCE_READ_SECONDS", "120"))
READ_WORKERS = max(1, int(os.environ.get("ASSURANCE_READ_WORKERS", "2")))
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds the assurance package



class _Slots:
    """At most READ_WORKERS workers on this machine at once, whichever process (the app, command-line loads)
    starts them: a slot is an exclusive lock on one of READ_WORKERS files in a folder of the user's own."""

    def __init__(self, count: int, folder: Path):
        self.count, self.folder = count, folder

    def take(self, wait: bool = True):
        """A held slot (an open, locked file), or None when wait is False and every slot is taken."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        while True:
            for k in range(self.count):
                slot = open(self.folder / f"slot{k}.lock", "a+b")
                try:
                    fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return slot
                except BlockingIOError:
                    slot.close()
            if not wait:
                return None
            time.sleep(0.05)

    @staticmethod
    def give_back(slot) -> None:
        if slot is not None:
            fcntl.flock(slot, fcntl.LOCK_UN)
            slot.close()


_slots = _Slots(READ_WORKERS, Path(tempfile.gettempdir()) / f"assurance-readers-{os.getuid()}")


def read_in_worker(data: bytes, name: str, limits: Limits, memory_mb: int | None = None,
                   seconds: float | None = None) -> RawWorkbook:
    """Read `data` in guarded workers; the workbook with every sheet read, or ReadError. When two worker slots
    are free, a workbook's sheets are shared between two workers, each with the whole budget, reading at once."""
    memory_mb = memory_mb or READ_MEMORY_MB
    seconds = seconds or READ_SECONDS
    first = _slots.take()
    second = _slots.take(wait=False) if data[:4] == read.ZIP_MAGIC else None
    try:
        answers = _run_workers(data, name, limits, memory_mb, seconds, 2 if second is not None else 1)
        return _answer(answers, name, limits, memory_mb, seconds)
    finally:
        _slots.give_back(second)
        _slots.give_back(first)


def _answer(answers: list[tuple[bytes, int | None]], name: str, limits: Limits, memory_mb: int,
            seconds: float) -> RawWorkbook:
    """The workbook from the workers' answers, or the ReadError one of them gave (or died of)."""
    workbooks = []
    for out, code in answers:
        try:
            outcome, body, peak_mb = _SafeUnpickler(io.BytesIO(out)).load()
        except Exception:  # noqa: BLE001 - no answer, or half of one: the worker died
            raise _died(name, code, memory_mb, seconds) from None
        if outcome == "memory" or outcome == "failed" and peak_mb > 0.8 * memory_mb:  # a panic after a failed allocation
            raise _memory_error(name, memory_mb)
        if outcome == "failed":
            raise _died(name, 1, memory_mb, seconds)
        if outcome == "refused":
            refused = ReadError(body)
            refused.peak_memory_mb = peak_mb
            raise refused
        try:
            cells = sum(n * len(columns) for _name, n, *_rest, columns in body["sheets"])
        except (KeyError, TypeError, ValueError):
            raise _died(name, code, memory_mb, seconds) from None
        if cells > limits.cells:  # the worker checks this too: the answer is not unpacked if it went wrong
            raise ReadError(f"{name} holds {cells:,} cells, far more than a return can have ({limits.cells:,} at "
                            f"most), so it was not opened. {read._STRAY_CELLS}")
        try:
            workbooks.append((_unpack(body), peak_mb))
        except (KeyError, TypeError, ValueError, IndexError):  # an answer of the wrong shape
            raise _died(name, code, memory_mb, seconds) from None
    return _joined(workbooks, limits, name)


def _run_workers(data: bytes, name: str, limits: Limits, memory_mb: int, seconds: float,
                 parts: int) -> list[tuple[bytes, int | None]]:
    """Start `parts` workers, each reading its share of the sheets; their answers and exit codes, in order."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)}
    workers = [subprocess.Popen([sys.executable, "-m", "assurance.returns.guard"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=_ROOT,
                                start_new_session=True) for _ in range(parts)]
    answers: list = [None] * parts

    def talk(k: int) -> None:
        request = pickle.dumps((data, name, limits, memory_mb, seconds, k, parts), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            answers[k] = workers[k].communicate(request, timeout=seconds)[0]
        except subprocess.TimeoutExpired:
            answers[k] = TimeoutError

    try:
        threads = [threading.Thread(target=talk, args=(k,), daemon=True) for k in range(1, parts)]
        for t in threads:
            t.start()
        talk(0)
        for t in threads:
            t.join()
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
            w.wait()
    if any(a is TimeoutError for a in answers):
        raise _too_slow(name, seconds)
    return [(a or b"", w.returncode) for a, w in zip(answers, workers)]


def _joined(workbooks: list[tuple[RawWorkbook, float]], limits: Limits, name: str) -> RawWorkbook:
    """One workbook from the workers' shares: every sheet once, in the workbook's order."""
    wb, peak = workbooks[0]
    for other, other_peak in workbooks[1:]:
        wb._cache.update(other._cache)
        peak = max(peak, other_peak)
    cells = sum(s.grid.size if s.grid is not None else 0 for s in wb._cache.values())
    if cells > limits.cells:
        raise ReadError(f"{name} holds {cells:,} cells, far more than a return can have ({limits.cells:,} at most), "
                        f"so it was not opened. {read._STRAY_CELLS}")
    wb.peak_memory_mb = peak
    return wb


def _too_slow(name: str, seconds: float) -> ReadError:
    return ReadError(f"{name} took longer than {seconds:.0f} second{'' if round(seconds) == 1 else 's'} to open, far longer than any return, so reading "
                     "it was stopped and nothing was loaded. Save the return again with only its sheets and upload "
                     "that copy; if it still happens, split it.")


def _died(name: str, code: int | None, memory_mb: int, seconds: float) -> ReadError:
    if code in (-signal.SIGKILL, -signal.SIGXCPU):
        return _too_slow(name, seconds)
    if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        return _memory_error(name, memory_mb)
    return ReadError(f"{name} could not be read: the reader stopped on it (code {code}). It may be damaged. "
                     f"{read._SAVE_AS}")


def _memory_error(name: str, memory_mb: int) -> ReadError:
    return ReadError(f"{name} needs more memory to open than a return may use ({memory_mb:,} MB), so reading it was "
                     f"stopped and nothing was loaded. {read._STRAY_CELLS}")


# --- in the worker ------------------------------------------------------------------------------

def _work() -> None:
    data, name, limits, memory_mb, seconds, part, parts = pickle.load(sys.stdin.buffer)
    budget = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    try:
        answer = ("ok", _pack(read.read_unguarded(data, name, limits, part, parts)))
    except ReadError as exc:
        answer = ("refused", str(exc))
    except BaseException as exc:  # noqa: BLE001 - the reader panicked or ran out: say which, then end
        answer = ("memory", None) if _out_of_memory(exc) else ("failed", type(exc).__name__)
    peak_mb = _own_peak_mb()
    sys.stdout.buffer.write(pickle.dumps((*answer, peak_mb), protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()


def _own_peak_mb() -> float:
    """This process's own peak memory. Not ru_maxrss: Linux carries that over from the parent through fork and
    exec, so a worker started by a large server would report the server's size."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _out_of_memory(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, MemoryError):
            return True
        exc = exc.__context__
    return False


def _pack(wb: RawWorkbook) -> dict:
    sheets = [(s.name, len(s.rows), s.row_offset, s.col_offset, s.hidden, _columns(s.rows))
              for s in (wb.sheet(n) for n in wb.sheet_names if n in wb._cache)]
    return {"file_name": wb.file_name, "kind": wb.kind, "sheet_names": list(wb.sheet_names),
            "has_macros": wb.has_macros, "hidden": sorted(wb.hidden), "sheets": sheets}


def _columns(rows: list[list]) -> list[tuple[list, bytes]]:
    """Each column as (its distinct values, a 32-bit index per row). Values keep their type: 1, 1.0 and True,
    which Python counts as equal, are told apart when a column holds more than one of those types."""
    width = max(map(len, rows), default=0)
    if any(len(r) != width for r in rows):  # every reader gives a rectangle; if not, pad it rather than cut it
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    out = []
    for column in zip(*rows):
        index: dict = {}
        if len(_NUMBER_TYPES.intersection(map(type, column))) > 1:
            codes = [index.setdefault((v.__class__, v), len(index)) for v in column]
            values = [v for _t, v in index]
        else:
            codes = [index.setdefault(v, len(index)) for v in column]
            values = list(index)
        out.append((values, array("i", codes).tobytes()))
    return out


_NUMBER_TYPES = frozenset({bool, int, float})


# --- back in the caller --------------------------------------------------------------------------

def _unpack(body: dict) -> RawWorkbook:
    import numpy as np

    sheets = {}
    for name, n, row_offset, col_offset, hidden, columns in body["sheets"]:
        grid = np.empty((n, len(columns)), dtype=object)  # rows of equal length: calamine reads a rectangle
        for j, (values, codes) in enumerate(columns):
            distinct = np.empty(len(values), dtype=object)
            distinct[:] = values
            grid[:, j] = distinct[np.frombuffer(codes, dtype=np.int32)]
        sheets[name] = RawSheet(name, None, row_offset, col_offset, hidden, grid=grid)
    return RawWorkbook(body["file_name"], body["kind"], body["sheet_names"], body["has_macros"], set(body["hidden"]),
                       sheets.__getitem__, dict(sheets))


class _SafeUnpickler(pickle.Unpickler):
    """The worker's answer may hold only plain data: anything else is refused, not imported."""

    ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a reader's answer")


if __name__ == "__main__":
    _work()
