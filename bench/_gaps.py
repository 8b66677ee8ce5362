"""What the gap benchmarks share: the command line, the instance list, the mean."""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from pathlib import Path


def run_instances(
    prog: str,
    description: str | None,
    pattern: str,
    header: str,
    default_seconds: float,
    run: Callable[[Path, float, int], float],
    argv: list[str] | None = None,
) -> None:
    """Solve one instance file, or every ``pattern`` file of a folder; print the
    header, one line per instance (``run`` prints it and returns the gap in %) and
    the mean gap."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("path", type=Path, help="an instance file or a folder of them")
    parser.add_argument(
        "--seconds", type=float, default=default_seconds, help="per instance"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = sorted(args.path.glob(pattern)) if args.path.is_dir() else [args.path]
    if not paths:
        raise SystemExit(f"no {pattern} file in {args.path}")
    print(header)
    gaps = [run(path, args.seconds, args.seed) for path in paths]
    print(f"mean gap {statistics.fmean(gaps):.2f} % over {len(gaps)} instances")
