"""What ``countyhub`` prints: an import's report shows no personal data whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from countyhub.cli.printing import print_demo, print_report
from countyhub.platform.config import Settings
from countyhub.platform.demo.make import DemoSummary
from countyhub.platform.intake.manifests import ImportReport
from countyhub.platform.intake.rows import Problem

PHONE, NAME = "13812345678", "张三丰"


def test_rejected_phone_numbers_and_names_are_masked_as_the_api_masks_them(
    capsys: pytest.CaptureFixture[str],
):
    """A rejected phone or name, or a mobile number in another cell, is masked."""
    report = ImportReport(
        "m.csv",
        problems=[
            Problem(2, "recipient_phone", f"x{PHONE}", "not a phone number"),
            Problem(3, "recipient_name", NAME, "too long", severity="warning"),
            Problem(4, "address", f"铜鼓县 {PHONE} 浒村", "names no village"),
            Problem(5, "waybill", "bad", "not a ZTO number"),
        ],
    )
    print_report(Path("m.csv"), report)
    err = capsys.readouterr().err
    assert PHONE not in err and NAME not in err
    assert "m.csv: row 2: recipient_phone 'x13*****5678': error:" in err
    assert "m.csv: row 3: recipient_name '张**': warning: too long" in err
    assert "m.csv: row 4: address '铜鼓县 138****5678 浒村'" in err
    assert "m.csv: row 5: waybill 'bad': error: not a ZTO number" in err


def summary(parcels: int, created: int) -> DemoSummary:
    return DemoSummary("铜鼓县", 14, 113, 108, 0, 10, 10, 20, 6, parcels, created, 1, 0)


@pytest.mark.parametrize(
    ("parcels", "created", "said"),
    [
        (85, 85, "parcels: 85 (85 created now)"),
        (85, 0, "parcels: 85 (reused)"),
        (0, 0, "parcels: 0 (none made)"),
    ],
    ids=["first-run", "rerun", "no-parcels"],
)
def test_the_demo_says_created_now_only_for_what_this_run_made(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    parcels: int,
    created: int,
    said: str,
):
    """A rerun that made nothing says reused, not a count of created parcels."""
    settings = Settings.from_env({"COUNTYHUB_INSTANCE_PATH": str(tmp_path)})
    print_demo(settings, summary(parcels, created), "pw")
    assert said in capsys.readouterr().out
