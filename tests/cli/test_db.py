"""``countyhub db backup``: a copy of the SQLite database, taken while in use."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text

from countyhub.platform.db import make_engine, sqlite_url
from tests.test_cli import invoker

PARCELS = "SELECT * FROM parcel ORDER BY id"
EVENTS = "SELECT * FROM parcel_event ORDER BY id"


def rows(url: str, query: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(text(query))]
    engine.dispose()
    return found


def test_a_restored_backup_holds_every_parcel_and_event(tmp_path: Path):
    """Back up the demo database, open the copy: the same parcels and events."""
    original = sqlite_url(tmp_path / "countyhub.sqlite")
    env = {
        "COUNTYHUB_DATABASE_URL": original,
        "COUNTYHUB_INSTANCE_PATH": str(tmp_path / "instance"),
        "COUNTYHUB_PLAN_SECONDS": "0.5",
    }
    code, out = invoker(env)("demo", "--no-serve", "--parcels", "100")
    made = re.search(r"parcels: (\d+) \((\d+) created now\)", out)
    assert code == 0 and made and made[1] == made[2], out
    backup = tmp_path / "backup" / "countyhub-copy.sqlite"
    backup.parent.mkdir()
    code, out = invoker(env)("db", "backup", str(backup))
    assert code == 0 and out.endswith(f"backed up to {backup}\n"), out
    restored = sqlite_url(backup)
    assert rows(restored, PARCELS) == rows(original, PARCELS)
    assert rows(restored, EVENTS) == rows(original, EVENTS)
    assert len(rows(restored, PARCELS)) == int(made[1])
    code, out = invoker({**env, "COUNTYHUB_DATABASE_URL": restored})("db", "check")
    assert code == 0, out


def test_a_backup_never_overwrites_a_file(tmp_path: Path):
    """An existing FILE is refused (exit 2) and left as it was."""
    env = {
        "COUNTYHUB_DATABASE_URL": sqlite_url(tmp_path / "countyhub.sqlite"),
        "COUNTYHUB_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    kept = tmp_path / "kept.sqlite"
    kept.write_text("mine")
    code, out = invoker(env)("db", "backup", str(kept))
    assert code == 2 and out == f"error: {kept} exists: back up to a new file\n"
    assert kept.read_text() == "mine"


def test_on_postgresql_backup_names_pg_dump(tmp_path: Path):
    """On PostgreSQL the command says to use pg_dump, without connecting."""
    env = {"COUNTYHUB_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:1/none"}
    code, out = invoker(env)("db", "backup", str(tmp_path / "x.dump"))
    assert code == 2 and out.startswith("error: on PostgreSQL, back up with pg_dump")
    assert out.count("\n") == 1 and not (tmp_path / "x.dump").exists()
