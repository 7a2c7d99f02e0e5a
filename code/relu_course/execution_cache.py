"""Fill the book's execution cache with several notebooks at a time, before Sphinx reads them one by one.

``python -m relu_course.execution_cache BOOK [--jobs N]`` (the first step of ``make book``) executes every
notebook of ``_toc.yml`` whose code is not in the cache yet, ``N`` at a time, and stores each result the
way myst-nb does when it executes a notebook itself: the same reading of the file, the same kernel name
alias, working folder, time limit and error setting (from ``_config.yml``), so that the cache's hash of the
notebook matches. Jupyter Book then finds every notebook cached ("Using cached notebook") and only
renders.

Why: myst-nb executes notebooks one after another inside Sphinx's reading phase, so a clean build of the
course used one core of two for about seven minutes. The cache, its hashing and the build's own checks
are unchanged; a notebook that this step could not cache is simply executed by the build as before.
A notebook that raises stops the build here with its traceback, as it would in the build.

Its workers poll for kernel replies in slices (:func:`relu_course.kernel_polling.poll_in_slices`).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import nbformat
import yaml

from relu_course._validation import positive_int
from relu_course.kernel_polling import poll_in_slices


@dataclass(frozen=True)
class Settings:
    """The execution settings of a book, as Jupyter Book passes them to myst-nb."""

    mode: str
    timeout: int | None
    allow_errors: bool
    in_temp: bool
    cache: Path
    kernel_aliases: dict[str, str]


def _book_folder(book: Any) -> Path:
    if not isinstance(book, (str, os.PathLike)):
        raise TypeError(f"book must be the path of a book's folder, got {type(book).__name__}")
    folder = Path(book)
    if not (folder / "_config.yml").is_file() or not (folder / "_toc.yml").is_file():
        raise ValueError(f"book {str(book)!r} must be a folder with _config.yml and _toc.yml")
    return folder


def settings(book: Path | str) -> Settings:
    """Read ``_config.yml`` (keys and defaults of Jupyter Book 1 and myst-nb)."""
    book = _book_folder(book)
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    execute = config.get("execute") or {}
    mode = execute.get("execute_notebooks", "auto")
    cache = execute.get("cache") or ""
    aliases = ((config.get("sphinx") or {}).get("config") or {}).get("nb_kernel_rgx_aliases") or {}
    return Settings(mode="off" if mode is False else str(mode), timeout=execute.get("timeout", 30),
                    allow_errors=bool(execute.get("allow_errors", False)),
                    in_temp=bool(execute.get("run_in_temp", False)),
                    cache=(book / cache) if cache else book / "_build" / ".jupyter_cache",
                    kernel_aliases=dict(aliases))


def _toc_files(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key in ("root", "file"):
            if isinstance(node.get(key), str):
                yield node[key]
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_files(item)


def toc_entries(book: Path | str) -> list[str]:
    """Every ``root`` and ``file`` entry of ``_toc.yml``, in its order (paths without suffix, as written)."""
    book = _book_folder(book)
    return list(_toc_files(yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))))


def toc_notebooks(book: Path | str) -> list[Path]:
    """The ``.ipynb`` files that ``_toc.yml`` lists, in its order."""
    book = _book_folder(book)
    found = []
    for entry in toc_entries(book):
        path = book / entry
        path = path if path.suffix == ".ipynb" else path.with_name(path.name + ".ipynb")
        if path.is_file() and path not in found:
            found.append(path)
    return found


def _read_as_myst_nb_does(path: Path, kernel_aliases: dict[str, str]) -> nbformat.NotebookNode:
    """The notebook as myst-nb hands it to its executor: read as nbformat 4, kernel name aliased."""
    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    name = nb.metadata.get("kernelspec", {}).get("name")
    if name is not None:
        for pattern, alias in kernel_aliases.items():
            if re.fullmatch(pattern, name):
                nb.metadata["kernelspec"]["name"] = alias
                break
    return nb


def _execute(text: str, cwd: str | None, timeout: int | None, allow_errors: bool) -> tuple[str, float, str | None]:
    """Run in a worker process: execute one notebook as myst-nb's cache mode does."""
    from jupyter_cache.executors.utils import single_nb_execution

    poll_in_slices()
    nb = nbformat.reads(text, as_version=4)
    with tempfile.TemporaryDirectory() if cwd is None else contextlib.nullcontext(cwd) as folder:
        result = single_nb_execution(nb, cwd=folder, timeout=timeout, allow_errors=allow_errors, meta_override=True)
    return nbformat.writes(result.nb), result.time, result.exc_string if result.err is not None else None


def fill_cache(book: Path | str, jobs: int = 2, *, log=print) -> int:
    """Execute the book's uncached notebooks ``jobs`` at a time into its cache; return how many failed."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    book = _book_folder(book)
    jobs = positive_int(jobs, "jobs")
    config = settings(book)
    if config.mode != "cache":
        log(f"execution cache: execute_notebooks is {config.mode!r}, not 'cache'; nothing to do")
        return 0
    cache = get_cache(str(config.cache))
    pending, notebooks = {}, toc_notebooks(book)
    for path in notebooks:
        nb = _read_as_myst_nb_does(path, config.kernel_aliases)
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            pending[path] = nb
    cached = f"execution cache: {len(notebooks) - len(pending)} of {len(notebooks)} notebooks cached"
    if not pending:
        log(f"{cached}, nothing to execute")
        return 0
    log(f"{cached}, executing {len(pending)}, {min(jobs, len(pending))} at a time")
    start, failed = time.perf_counter(), 0
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending))) as pool:
        futures = {path: pool.submit(_execute, nbformat.writes(nb), None if config.in_temp else str(path.parent),
                                     config.timeout, config.allow_errors)
                   for path, nb in pending.items()}
        for path, future in futures.items():
            try:
                text, seconds, error = future.result()
            except Exception as err:  # the kernel did not start, or the worker died: report, go on
                text, seconds, error = "", 0.0, f"{type(err).__name__}: {err}"
            rel = path.relative_to(book).as_posix()
            if error is not None:
                failed += 1
                log(f"execution cache: {rel} could not be executed; the build stops here.\n{error}")
                continue
            stage = cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(CacheBundleIn(nbformat.reads(text, as_version=4), stage.uri,
                                                      data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            log(f"execution cache: {rel} executed in {seconds:.1f} s")
    log(f"execution cache: {len(pending) - failed} notebooks executed in {time.perf_counter() - start:.0f} s")
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m relu_course.execution_cache", description=__doc__.split("\n")[0])
    parser.add_argument("book", type=Path, help="the book's folder (with _config.yml and _toc.yml)")
    parser.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 4),
                        help="notebooks executed at the same time (default: the CPUs, at most 4)")
    args = parser.parse_args(argv)
    try:
        failed = fill_cache(args.book, args.jobs)
    except (TypeError, ValueError, OSError) as err:
        print(f"relu_course.execution_cache: {err}", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
