"""``countyhub report``: build, export, list, show (every attempt) and send-due on
a database of its own, against a province on loopback."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from countyhub.cli import main
from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.users import create_user, system_actor
from countyhub.platform.db import make_engine, utcnow
from countyhub.platform.reports.canonical import canonical_json
from countyhub.platform.reports.outbox import closed_month
from countyhub.platform.reports.versions import store_report
from tests.platform.reports.province import SECRET, Province, Reply, serve_province
from tests.test_cli import invoker, own_database

WHEN = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"


@pytest.fixture(scope="module")
def env(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A new database with the county, a dispatcher, and two versions of
    October's report queued for delivery."""
    for env in own_database(database_url, tmp_path_factory.mktemp("report")):
        run = invoker(env)
        for command in (["db", "upgrade"], ["county", "load"]):
            assert run(*command)[0] == 0
        engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
        with Session(engine) as session:
            create_user(session, None, username="disp", role=Role.DISPATCHER)
            actor = system_actor(session)
            for content in ({"parcels": 1}, {"parcels": 2}):
                store_report(session, actor, "2026-10", content, deliver=True)
            session.commit()
        engine.dispose()
        yield env


@pytest.fixture(scope="module")
def province() -> Iterator[Province]:
    yield from serve_province()


def test_list_show_and_send_due(env: dict[str, str], province: Province):
    """Queued versions are listed; send-due sends both (one after a 503);
    show gives each attempt's time, status code and the start of the answer."""
    run = invoker(env)
    code, out = run("report", "list")
    assert code == 0, out
    lines = out.splitlines()
    assert [line.split("  ")[1:3] for line in lines] == [
        ["2026-10", "v2"],
        ["2026-10", "v1"],
    ]
    assert all(line.endswith("pending after 0 attempt(s)") for line in lines)

    province.answer(Reply(503, "maintenance until 06:00"), Reply(200, "taken"))
    sending = invoker(
        {
            **env,
            "COUNTYHUB_PROVINCE_URL": province.url,
            "COUNTYHUB_PROVINCE_SECRET": SECRET,
        }
    )
    code, out = sending("report", "send-due")
    assert code == 0, out
    v1, v2, total = out.splitlines()
    assert re.match(rf"2026-10 v1  msg_\S+  #1  503  pending, next at {WHEN}  ", v1)
    assert re.match(r"2026-10 v2  msg_\S+  #1  200  delivered  ", v2)
    assert total == "2 attempt(s)"
    assert all(got.signed for got in province.received)

    v1_id = lines[1].split("  ")[0]
    code, out = run("report", "show", v1_id)
    assert code == 0, out
    assert "pending after 1 attempt(s), next at" in out
    assert "last error: HTTP 503: maintenance until 06:00" in out
    assert re.search(rf"^#1  {WHEN}  503  \d+\.\d\d s  maintenance until", out, re.M)
    assert sending("report", "send-due")[1] == "0 attempt(s)\n"  # not due yet


def test_send_due_without_a_province_says_so(env: dict[str, str]):
    code, out = invoker(env)("report", "send-due")
    assert code == 0
    assert "COUNTYHUB_PROVINCE_URL is not set: nothing is sent" in out


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            {"COUNTYHUB_PROVINCE_URL": "ftp://province.example/in"},
            "error: COUNTYHUB_PROVINCE_URL must be an http:// or https:// URL",
        ),
        (
            {"COUNTYHUB_PROVINCE_SECRET": "hunter2"},
            "error: COUNTYHUB_PROVINCE_SECRET must be whsec_ followed by base64",
        ),
        (
            {"COUNTYHUB_PROVINCE_RETRY_SECONDS": "60,0"},
            "error: COUNTYHUB_PROVINCE_RETRY_SECONDS must be a positive number",
        ),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_9(
    env: dict[str, str], setting: dict[str, str], message: str
):
    code, out = invoker({**env, **setting})("report", "send-due")
    assert code == 9 and out.startswith(message) and out.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["show", "999999"], 3, "error: no report 999999"),
        (["show", "0"], 2, "error: Invalid value for 'ID': 0 is not in the range"),
        (["list", "--month", "2026-13"], 2, "error: month '2026-13' is not a month"),
        (["list", "--as", "disp"], 4, "error: only an analyst or an admin"),
    ],
)
def test_refusals_say_why(env: dict[str, str], args, status: int, message: str):
    code, out = invoker(env)("report", *args)
    assert code == status and message in out


def test_build_new_then_unchanged_then_export(env: dict[str, str]):
    """A closed month is built once; the same data again is the same version;
    the JSON export is the canonical JSON whose SHA-256 is the content hash."""
    run = invoker(env)
    code, out = run("report", "build", "--month", "2026-09")
    assert code == 0, out
    found = re.fullmatch(r"version 1 \(new\), id (\d+)\n", out)
    assert found, out
    code, out = run("report", "build", "--month", "2026-09")
    assert (code, out) == (0, f"unchanged, version 1, id {found[1]}\n")
    shown = run("report", "show", found[1])[1]
    digest = re.search(r"content SHA-256 ([0-9a-f]{64})", shown)[1]
    result = CliRunner().invoke(
        main, ["report", "export", found[1], "--format", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    body = result.stdout_bytes
    assert hashlib.sha256(body).hexdigest() == digest
    content = json.loads(body)
    assert content["period"]["month"] == "2026-09"
    assert content["inbound_received"]["total"] == 0
    assert body == canonical_json(content)


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK\x03\x04"), ("pdf", b"%PDF-")])
def test_export_xlsx_and_pdf(env: dict[str, str], fmt: str, magic: bytes):
    """A workbook or a PDF goes to stdout as bytes."""
    pytest.importorskip(f"countyhub.platform.reports.{fmt}")
    out = invoker(env)("report", "list", "--month", "2026-09")[1]
    report_id = out.split("  ")[0]
    result = CliRunner().invoke(
        main, ["report", "export", report_id, "--format", fmt], env=env
    )
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(magic)


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["build"], 2, "Missing option '--month'"),
        (["build", "--month", "2026-13"], 2, "error: month '2026-13' is not a month"),
        (["build", "--month", "2099-01"], 2, "error: month 2099-01 has not closed yet"),
        (["build", "--month", "2026-09", "--as", "disp"], 4, "error: "),
        (["export", "1", "--format", "csv"], 2, "Invalid value for '--format'"),
    ],
)
def test_build_and_export_refusals(
    env: dict[str, str], args: list[str], status: int, message: str
):
    code, out = invoker(env)("report", *args)
    assert code == status and message in out, out


def test_send_due_builds_last_month_once_when_auto(env: dict[str, str]):
    """COUNTYHUB_REPORT_AUTO=1: the last closed month is built by the first run,
    not again by the next."""
    auto = invoker({**env, "COUNTYHUB_REPORT_AUTO": "1"})
    month = closed_month(utcnow())
    code, out = auto("report", "send-due")
    assert code == 0, out
    assert f"built the report of {month}" in out
    assert "no report builder" not in out
    code, out = auto("report", "send-due")
    assert code == 0 and "built the report" not in out
    listed = invoker(env)("report", "list", "--month", month)[1]
    assert len(listed.splitlines()) == 1
