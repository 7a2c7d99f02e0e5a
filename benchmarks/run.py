"""`make bench`: the course's speed figures, measured in one run and reported as ratios.

1. The package's ReLU against the physical limit, a copy of the same bytes, out of place
   (``relu(x)`` against ``x.copy()``, both allocating) and in place (``relu_inplace(x)`` against
   ``np.copyto(out, x)``), from cache-resident to much larger than cache, beside the naive in-place
   ``np.maximum(x, 0, out=x)``. Target: ReLU at 0.9x copy bandwidth or better on large arrays.
2. Every activation's cost as a ratio to ReLU, in NumPy and in TensorFlow.
3. The execution time of every chapter (each in a fresh kernel, one after another) and the wall time
   of the last `make test` (recorded by the Makefile). Targets: every chapter under 30 s; `make test`
   under 8 minutes on 2 cores once the dependencies are installed.

Prints a Markdown report and writes it to --out. Timings depend on the machine and its load; the
ratios are measured side by side in one run, so they are what to compare.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from relu_course.activations import relu, relu_inplace
from relu_course.benchmark import benchmark_input, tensorflow_keys, time_activations, time_round_robin
from relu_course.tables import markdown_table

ROOT = Path(__file__).resolve().parents[1]
SIZES = [2**10, 2**14, 2**18, 2**22, 2**25, 2**27]  # to 512 MiB, past the largest L3 cache we ran on (300 MiB)
ACTIVATION_KEYS = ["sigmoid", "tanh", "elu", "selu", "gelu", "gelu_tanh", "silu", "mish", "softplus", "softsign",
                   "leaky_relu", "relu6", "hard_swish"]
CHAPTER_TARGET_SECONDS, MAKE_TEST_TARGET_SECONDS = 30, 8 * 60


def copy_bandwidth_rows(sizes: list[int], repeats: int) -> list[tuple]:
    rows = []
    for size in sizes:
        x = benchmark_input(size, "float32")
        out, y, z = np.empty_like(x), x.copy(), x.copy()
        zero = x.dtype.type(0)
        number = max(1, 2**22 // size)
        t = time_round_robin({"copy": lambda: x.copy(), "relu": lambda: relu(x),
                              "copyto": lambda: np.copyto(out, x), "relu_inplace": lambda: relu_inplace(y),
                              "maximum_scalar": lambda: np.maximum(z, zero, out=z)},
                             repeats=repeats, number=number)
        rows.append((f"{size:,}", f"{x.nbytes / 2**20:.3g}", f"{t['copy'] / t['relu']:.2f}",
                     f"{t['copyto'] / t['relu_inplace']:.2f}", f"{t['copyto'] / t['maximum_scalar']:.2f}",
                     f"{2 * x.nbytes / t['copy'] / 1e9:.1f}"))
    return rows


def activation_rows(size: int, repeats: int) -> tuple[list[str], list[tuple]]:
    frameworks = {"NumPy": time_activations(ACTIVATION_KEYS, size=size, framework="numpy", repeats=repeats)}
    try:
        tf_keys = [k for k in ACTIVATION_KEYS if k in tensorflow_keys()]
        frameworks["TensorFlow"] = time_activations(tf_keys, size=size, framework="tensorflow", repeats=repeats)
    except ImportError as err:
        print(f"TensorFlow skipped: {err}", file=sys.stderr)
    ratios = {name: timing.ratios() for name, timing in frameworks.items()}
    rows = [(key, *(f"{ratios[f][key]:.2f}" if key in ratios[f] else "–" for f in frameworks))
            for key in ["relu", *ACTIVATION_KEYS]]
    return list(frameworks), rows


def chapter_rows(chapters: list[Path], timeout: int) -> list[tuple]:
    import nbformat
    from nbclient import NotebookClient

    from relu_course.kernel_polling import poll_in_slices

    poll_in_slices()  # else a missed kernel reply can add the whole time limit to a chapter
    rows = []
    for path in chapters:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        try:
            NotebookClient(nb, kernel_name="python3", timeout=timeout,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            status = "ok"
        except Exception as err:  # report, do not stop the other chapters
            status = f"failed ({type(err).__name__})"
        seconds = time.perf_counter() - start
        verdict = "yes" if seconds < CHAPTER_TARGET_SECONDS else "**no**"
        rows.append((path.stem, f"{seconds:.1f}", verdict, status))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench" / "results.md")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--skip-chapters", action="store_true", help="only the micro-benchmarks")
    args = parser.parse_args(argv)
    os.environ.pop("RELU_COURSE_STRICT_CHECKS", None)
    lines = [f"# Benchmarks ({time.strftime('%Y-%m-%d %H:%M')}, {platform.processor() or platform.machine()}, "
             f"{os.cpu_count()} CPUs, Python {platform.python_version()}, NumPy {np.__version__})", "",
             "## ReLU against a copy of the same bytes (float32)", "",
             "Share of copy bandwidth = copy time / ReLU time (1.00: as fast as a copy; target >= 0.9 on large "
             "arrays). The naive column is why `relu_inplace` works block by block: NumPy's maximum against a "
             "broadcast scalar zero runs slower than against a cached block of zeros.", ""]
    lines.append(markdown_table(("elements", "MiB", "out of place: relu(x) vs x.copy()",
                                 "in place: relu_inplace(x) vs np.copyto",
                                 "in place, naive: np.maximum(x, 0, out=x) vs np.copyto", "copy GB/s"),
                                copy_bandwidth_rows(SIZES, args.repeats)))
    names, rows = activation_rows(2**20, args.repeats)
    lines += ["", "## Cost of each activation as a ratio to ReLU (2^20 float32 elements)", "",
              markdown_table(("activation", *names), rows)]
    if not args.skip_chapters:
        chapters = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
        rows = chapter_rows(chapters, timeout=600)
        total = sum(float(r[1]) for r in rows)
        lines += ["", f"## Chapter execution time (fresh kernel each; target < {CHAPTER_TARGET_SECONDS} s)", "",
                  markdown_table(("chapter", "seconds", "under target", "status"), rows),
                  "", f"All chapters one after another: {total:.0f} s."]
    record = ROOT / "_build" / "timings" / "make-test-seconds"
    if record.exists():
        seconds = int(record.read_text().split()[0])
        verdict = "under" if seconds < MAKE_TEST_TARGET_SECONDS else "over"
        lines += ["", f"Last `make test`: {seconds // 60} min {seconds % 60} s ({verdict} the 8-minute target), "
                      f"recorded {time.strftime('%Y-%m-%d %H:%M', time.localtime(record.stat().st_mtime))}."]
    report = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
