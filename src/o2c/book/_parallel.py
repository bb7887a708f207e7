"""Bill run batches planned in worker processes, written one at a time in order.

A large bill run spends about a third of its time planning (decoding stored contracts,
pricing, taxing) and the rest writing rows and committing. Python runs one thread's
code at a time, so threads cannot overlap the two; processes can. Each worker opens
the book itself, reads and plans the batches given to it, and writes one only when the
coordinator says it is its turn: batch *k+1* is planned while batch *k* is written.

The coordinator (the calling process) hands batches out round-robin and lets them
write strictly in order, so invoice numbers, journal entry ids and audit events come
out exactly as a run in one process makes them. Each batch is still one transaction
(committed by its worker); a failure stops the run after the batches committed so far,
which a run of the same period resumes, as in one process.

Workers start with the ``spawn`` method (a fresh interpreter, no inherited database
connection or threads), so a script calling :meth:`o2c.Book.bill_run` with
``workers > 1`` needs the usual ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib
import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Final

import attrs

from o2c.calendar import Period
from o2c.errors import StoreError
from o2c.ledger import ChartOfAccounts

__all__ = ["WorkerSpec", "bill_in_workers"]

#: Seconds between checks that a worker is still alive while waiting for it.
_POLL: Final = 1.0


@attrs.frozen
class WorkerSpec:
    """Everything a worker needs to bill its batches of one run (it is pickled)."""

    location: str
    schema: str | None
    chart: ChartOfAccounts
    fixed_now: dt.datetime | None
    period: str
    cut: dt.date
    day: dt.date
    issue: bool
    dry_run: bool
    who: str
    run_id: str | None
    compact: bool = True


def bill_in_workers(
    spec: WorkerSpec,
    bounds: Sequence[tuple[str, str]],
    workers: int,
    on_done: Callable[[Any], None],
) -> None:
    """Bill the batches ``bounds`` (contract id ranges ``(after, upto]``) in ``workers``
    processes; call ``on_done`` with each batch's outcome, in batch order.

    Raises:
        O2CError: What a worker raised (the same type and message).
        StoreError: A worker died without saying why.
    """
    context = multiprocessing.get_context("spawn")
    pipes: list[Connection] = []
    processes: list[Any] = []
    try:
        for _ in range(workers):
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_worker, args=(theirs, spec), name="o2c-bill-run", daemon=True
            )
            process.start()
            theirs.close()
            pipes.append(mine)
            processes.append(process)
        for k in range(min(workers, len(bounds))):
            pipes[k].send(("plan", k, *bounds[k]))
        for k in range(len(bounds)):
            w = k % workers
            # (A worker that stopped left its reason in the pipe: _receive reads it.)
            with contextlib.suppress(OSError):
                pipes[w].send(("go", k))
            outcome = _receive(pipes[w], processes[w], k)
            nxt = k + workers
            if nxt < len(bounds):
                pipes[w].send(("plan", nxt, *bounds[nxt]))
            on_done(outcome)
    finally:
        for pipe in pipes:
            with contextlib.suppress(OSError):
                pipe.send(("stop",))
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():  # pragma: no cover - a worker stuck in the database
                process.terminate()
                process.join()
        for pipe in pipes:
            pipe.close()


def _receive(pipe: Connection, process: Any, batch: int) -> Any:
    """The outcome of ``batch`` from its worker, or its error raised here."""
    while not pipe.poll(_POLL):
        if not process.is_alive() and not pipe.poll(0):
            raise StoreError(
                f"bill run worker stopped (exit code {process.exitcode}) on batch {batch}"
            )
    try:
        message = pipe.recv()
    except EOFError:
        raise StoreError(f"bill run worker stopped on batch {batch}") from None
    if message[0] == "error":
        raise _rebuild(*message[2:])
    if message[0] != "done" or message[1] != batch:  # pragma: no cover - a protocol bug
        raise StoreError(f"bill run worker answered {message[:2]!r} for batch {batch}")
    return message[2]


def _portable(error: BaseException) -> tuple[str, str, tuple[Any, ...], dict[str, Any], str]:
    """An exception as plain parts that pickle (o2c's errors take other arguments than
    the ``args`` they keep, so they do not unpickle as themselves)."""
    state: dict[str, Any] = {}
    for key, value in vars(error).items():
        try:
            state[key] = value if _pickles(value) else repr(value)
        except Exception:  # pragma: no cover - a value whose repr fails
            continue
    return (
        type(error).__module__,
        type(error).__qualname__,
        tuple(a if _pickles(a) else repr(a) for a in error.args),
        state,
        "".join(traceback.format_exception(error)),
    )


def _pickles(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def _rebuild(
    module: str, name: str, args: tuple[Any, ...], state: dict[str, Any], trace: str
) -> BaseException:
    """The worker's exception, rebuilt here with its type, message and attributes."""
    try:
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            raise TypeError(name)
        error: BaseException = cls.__new__(cls)
        error.args = args
        for key, value in state.items():
            setattr(error, key, value)
    except Exception:
        error = StoreError(f"bill run worker failed: {name}: {args[0] if args else ''}")
    error.add_note(f"raised in a bill run worker:\n{trace}")
    return error


class _CoordinatorGone(Exception):
    """The process that started this worker is gone: stop without committing."""


def _parent_alive() -> bool:
    parent = multiprocessing.parent_process()
    return parent is None or parent.is_alive()


def _worker(pipe: Connection, spec: WorkerSpec) -> None:  # pragma: no cover - a subprocess
    """A worker's loop: plan the batches it is given, write each when told to."""
    batch = -1
    try:
        from o2c.book._base import Clock
        from o2c.book._bill_run import beat, prepare_range, run_context
        from o2c.book._bill_stages import commit_prepared
        from o2c.book._book import Book

        # A worker lives for one run and holds a batch or two of small, acyclic values:
        # reference counting frees them; the cyclic collector would only walk them.
        gc.disable()

        fixed = spec.fixed_now
        clock: Clock | None = None if fixed is None else (lambda: fixed)
        book = Book.open(
            spec.location, create=False, actor=spec.who, clock=clock, schema=spec.schema
        )
        book._session.chart = spec.chart
        session = book._session
        ctx = run_context(
            session,
            Period.parse(spec.period),
            spec.cut,
            spec.day,
            issue=spec.issue,
            dry_run=spec.dry_run,
            who=spec.who,
            compact=spec.compact,
        )
        prepared: dict[int, Any] = {}
        try:
            while True:
                message = pipe.recv()
                if message[0] == "stop":
                    return
                batch = message[1]
                if message[0] == "plan":
                    prepared[batch] = prepare_range(session, message[2], message[3], ctx)
                else:
                    ready = prepared.pop(batch)
                    with book.store.transaction(write=not spec.dry_run):
                        outcome = commit_prepared(session, ready, ctx, spec.run_id)
                        beat(session, spec.run_id)
                        # The coordinator died (killed, or its machine went down) while
                        # this batch was written: roll it back rather than commit a batch
                        # of a run nobody finishes.
                        if not _parent_alive():
                            raise _CoordinatorGone
                    del ready
                    pipe.send(("done", batch, outcome))
        finally:
            book.close()
    except (EOFError, _CoordinatorGone):
        return  # the coordinator went away
    except BaseException as error:
        with contextlib.suppress(OSError):
            pipe.send(("error", batch, *_portable(error)))
