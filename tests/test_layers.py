"""The layers of DESIGN.md hold: import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    """app|cli > api|web > platform > couriers|routing; pure packages stay pure."""
    exe = shutil.which("lint-imports") or str(
        Path(sys.executable).parent / "lint-imports"
    )
    result = subprocess.run(
        [exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
