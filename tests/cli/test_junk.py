"""Junk for every parser of ``countyhub``: a documented exit status, never a traceback.

The command tree of :data:`countyhub.cli.main` is walked, so that a command added
later is fed junk too without a line here.  Each parameter gets what its click type
takes and what it does not: any text (lone surrogates, NUL, line breaks, 100 000
characters), integers beyond 64 bits and negative ones, inf, nan and 1e309, far
and impossible dates, missing files and files of junk.  The commands run in
process against a migrated, seeded database of this module's own (SQLite, and
PostgreSQL when the tests run there too); junk must not look like a broken
database or a bug (exit 8, 9, 10 or 70), and a failure is one ``error:`` line on
stderr.  Junk goes to one or two parameters at a time, sense to the others, so
that it reaches past the first refusal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import openpyxl
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

import countyhub.cli
from countyhub.cli import main
from countyhub.couriers import COURIERS
from countyhub.platform.county.gazetteer import default_county_dir
from countyhub.platform.db import make_engine
from countyhub.platform.models import Depot, Parcel, ServicePoint, User, Vehicle
from countyhub.platform.parcels.statuses import Status
from tests.test_cli import own_database, short_demo

# They start a server (``demo`` builds the demo county first): never run here.
SERVERS = {("serve",), ("demo",)}
# Left out of the commands' environment: a traceback instead of the one line, and
# a province to send reports to.
UNSET: dict[str, str | None] = {
    "COUNTYHUB_TRACEBACK": None,
    "COUNTYHUB_PROVINCE_URL": None,
    "COUNTYHUB_REPORT_AUTO": None,
}
# Exit statuses of a broken database or setting, or of a bug: never junk's.
NOT_JUNKS = {8, 9, 10, 70}
# Crashes of platform services on junk that this test found and left to their
# owners: the command, and the error line such a crash gives.  An example of
# each goes below, a strict xfail: when it is fixed, its entry here goes.  (The
# county files' reader, issue 11, was the last: its examples are below.)
PLATFORM_CRASHES: dict[tuple[str, ...], re.Pattern[str]] = {}
# A planner's time limit: the least it takes, unless it is junk the parser refuses.
TIME_LIMITS = {"seconds"}
SHORTEST = 0.1  # seconds, when the parser takes any time above 0
EXAMPLES = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def documented_statuses() -> set[int]:
    """The exit statuses the table of ``countyhub.cli``'s docstring lists."""
    doc = countyhub.cli.__doc__ or ""
    return {int(status) for status in re.findall(r"^(\d+)\s{2}", doc, re.MULTILINE)}


def walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command under ``group``, subgroups included."""
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))
        elif (*path, name) not in SERVERS:
            yield (*path, name)


COMMANDS = list(walk(main))


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


# -- junk ----------------------------------------------------------------------

LONE = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udcff", "\udfff"])
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
WITH_LONE = st.builds(lambda a, s, b: a + s + b, ANY_TEXT, LONE, ANY_TEXT)
EDGES = st.sampled_from(
    [
        *("", " ", "\x00", "a\x00b", "\n", "x\r\ny", "\t", "\x7f", "\u2028", "\ufeff"),
        *("-", "--", "-1", "0", "00", "+1", "1_000", "0x10", "1e3", "١٢٣"),
        *(str(2**31), str(2**63), str(-(2**63) - 1), str(10**400), "-" + "9" * 40),
        *("inf", "-inf", "nan", "NaN", "1e309", "-1e309", "-0.0", "1e-400"),
        *("0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01", "2024-02-30"),
        *("2024-13-01", "20240101", "2024-01-01T00:00:00+08:00", "yesterday"),
        *("today", "TOMORROW", "true", "null", "[]", "{}", "%s", "{0}", "'; --"),
        *("../../etc/passwd", "/dev/null", "/", ".", "é" * 300, "x" * 100_000),
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(repr),
)
DATES = st.one_of(
    st.dates().map(dt.date.isoformat), st.datetimes().map(dt.datetime.isoformat)
)
JUNK = st.one_of(EDGES, ANY_TEXT, WITH_LONE, NUMBERS, DATES)


# -- files -----------------------------------------------------------------------

MANIFEST = "运单号,收件人,电话,地址\n73610555582883,张三,,铜鼓县大塅镇浒村\n"
POINTS = "code,lon,lat\n360926100001,114.44,28.52\n"
RESULTS = "vehicle,point,visited\nTRI-1,360926100001,yes\n"
COUNTY_FILES = ("county.csv", "townships.csv", "villages.csv")


@dataclass(frozen=True)
class File:
    """A file to write in the example's folder: its name and its bytes."""

    name: str
    content: bytes

    def __repr__(self) -> str:  # a county file is 20 kB: its start says enough
        return f"File({self.name!r}, {self.content[:200]!r}…{len(self.content)} B)"


@dataclass(frozen=True)
class Folder:
    """A folder of county files, each the default one or junk."""

    files: tuple[File, ...]


def cell() -> st.SearchStrategy[str]:
    return st.one_of(JUNK, st.sampled_from(["73610555582883", "360926100001", "yes"]))


def rows(head: str) -> st.SearchStrategy[str]:
    """A CSV text: ``head`` and a few rows of junk cells."""
    width = max(head.count(",") + 1, 1)
    row = st.lists(cell(), min_size=0, max_size=width + 1).map(",".join)
    return st.lists(row, max_size=4).map(lambda r: "\n".join([head, *r]) + "\n")


def spoiled(text: str) -> st.SearchStrategy[str]:
    """``text``, a CSV file, with junk in one cell of a row, or junk rows (the
    head again first) in the row's place."""
    head, *lines = text.splitlines()
    width = head.count(",") + 1

    def spoil(at: int, column: int, junk: str, instead: str | None) -> str:
        at %= max(len(lines), 1)
        # the last cell may be quoted and hold commas: it stays whole
        cells = (lines[at] if lines else "").split(",", width - 1)
        cells[column % len(cells)] = junk
        row = ",".join(cells) if instead is None else instead
        return "\n".join([head, *lines[:at], row, *lines[at + 1 :]]) + "\n"

    return st.builds(
        spoil,
        st.integers(0, len(lines)),
        st.integers(0, width),
        cell(),
        st.none() | rows(head),
    )


def encoded(text: str, encoding: str) -> bytes:
    # a lone surrogate: bytes no decoder takes in UTF-8 and UTF-16, "?" in GB18030
    return text.encode(encoding, "surrogatepass" if "utf" in encoding else "replace")


def workbook(values: list[Any]) -> bytes:
    """An XLSX whose first sheet holds a manifest's head and cells of any type."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["运单号", "收件人", "电话", "地址"])
    for start in range(0, len(values), 4):
        sheet.append(values[start : start + 4])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_CELL = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30),
)
ENCODINGS = st.sampled_from(["utf-8", "gb18030", "utf-16"])
CONTENT = st.one_of(
    st.binary(max_size=300),
    st.builds(
        encoded,
        st.sampled_from([MANIFEST, POINTS, RESULTS, "\n"])
        .map(lambda text: text.splitlines()[0])
        .flatmap(rows),
        ENCODINGS,
    ),
    st.lists(XLSX_CELL, max_size=12).map(workbook),
)
STDIN = st.binary(max_size=40) | WITH_LONE.map(lambda text: encoded(text, "utf-8"))
SUFFIXES = st.sampled_from([".csv", ".xlsx", ".txt", "", ".CSV"])
FILE = st.one_of(
    st.builds(File, st.builds("junk{}".format, SUFFIXES), CONTENT),
    *(
        st.builds(File, st.just(name), st.builds(encoded, spoiled(text), ENCODINGS))
        for name, text in [("m.csv", MANIFEST), ("p.csv", POINTS), ("r.csv", RESULTS)]
    ),
)


def county_file(name: str) -> st.SearchStrategy[File]:
    """The default county's file ``name``, as it is, spoiled, or junk."""
    real = (default_county_dir() / name).read_text(encoding="utf-8")
    text = st.just(real) | spoiled(real)
    content = text.map(lambda t: encoded(t, "utf-8")) | CONTENT
    return st.builds(File, st.just(name), content)


FOLDER = st.builds(
    lambda files, gone: Folder(tuple(f for f in files if f.name != gone)),
    st.tuples(*(county_file(name) for name in COUNTY_FILES)),
    st.none() | st.sampled_from(COUNTY_FILES),
)


def place(value: str | File | Folder, where: Path) -> str:
    """The argument for ``value``: junk text as it is, a file or folder written."""
    if isinstance(value, File):
        (where / value.name).write_bytes(value.content)
        return value.name
    if isinstance(value, Folder):
        folder = where / "county"
        folder.mkdir()
        for file in value.files:
            (folder / file.name).write_bytes(file.content)
        return folder.name
    return value


# -- what to send ----------------------------------------------------------------

GOOD_FILES = [
    File("m.csv", MANIFEST.encode("gb18030")),
    File("m.xlsx", workbook(["73610555582883", "张三", None, "铜鼓县大塅镇浒村"])),
    File("points.csv", POINTS.encode()),
    File("results.csv", RESULTS.encode()),
]
GOOD_FOLDER = Folder(
    tuple(
        File(name, (default_county_dir() / name).read_bytes()) for name in COUNTY_FILES
    )
)


def in_range(kind: click.IntRange | click.FloatRange) -> list[str]:
    """The ends a range takes, and a value between them."""
    low = kind.min if kind.min is not None else -(2**31)
    high = kind.max if kind.max is not None else 2**31
    middle = (low + high) // 2 if isinstance(kind, click.IntRange) else (low + high) / 2
    ends = [] if kind.min_open else [low]
    return [str(v) for v in [*ends, middle, *([] if kind.max_open else [high])]]


def sane(param: click.Parameter, known: dict[str, list[str]]) -> st.SearchStrategy:
    """A value ``param`` is made for: so that junk elsewhere reaches further."""
    kind = param.type
    if isinstance(kind, click.Choice):
        return st.sampled_from([str(choice) for choice in kind.choices])
    if isinstance(kind, click.IntRange | click.FloatRange):
        return st.sampled_from(in_range(kind))
    if isinstance(kind, click.Path):
        return st.sampled_from([GOOD_FOLDER] if kind.dir_okay else GOOD_FILES)
    if kind.name == "day":
        return st.sampled_from(["today", "tomorrow", "2030-01-07", "2099-12-31"])
    if kind.name in {"integer", "float"}:
        return st.sampled_from(["1", "2", "3"])
    return st.sampled_from(known.get(param.name or "") or ["x", "铜鼓县棋坪镇棋坪村"])


def junk(param: click.Parameter) -> st.SearchStrategy:
    """Junk for ``param``: any text, number or date; beside its range; files of
    junk and files that are not there."""
    kind = param.type
    near: list[str] = ["x"]
    if isinstance(kind, click.IntRange | click.FloatRange):
        ends = [end for end in (kind.min, kind.max) if end is not None]
        near = [str(v) for end in ends for v in (end, end - 1, end + 1)]
    if isinstance(kind, click.FloatRange):
        near += ["inf", "-inf", "nan", "1e309", "-0.0"]
    if isinstance(kind, click.Path):
        files = FOLDER if kind.dir_okay else FILE
        return st.one_of(JUNK, files, st.just("missing.csv"), st.sampled_from(near))
    return st.one_of(JUNK, st.sampled_from(near))


def arguments_for(
    command: click.Command, data: st.DataObject, known: dict[str, list[str]]
) -> list[Any]:
    """The command line: junk for a few parameters, sense for the others (some
    left out); options, ``--``, then the positionals."""
    names = [p.name for p in command.params if not getattr(p, "is_flag", False)]
    junked = data.draw(st.sets(st.sampled_from(names), max_size=2)) if names else ()
    options: list[Any] = []
    positionals: list[Any] = []
    for param in command.params:
        if isinstance(param, click.Option) and param.is_flag:
            if data.draw(st.booleans(), label=param.name):
                options.append(param.opts[0])
            continue
        if param.name in TIME_LIMITS:
            drawn = data.draw(junk(param)) if param.name in junked else None
            options += [param.opts[0], time_limit(param, drawn)]
            continue
        some = junk(param) if param.name in junked else sane(param, known)
        optional = param.name not in junked and not param.required
        if optional and data.draw(st.booleans(), label=f"leave out {param.name}"):
            continue
        count = param.nargs if param.nargs > 0 else data.draw(st.integers(1, 3))
        drawn = [data.draw(some, label=param.name) for _ in range(count)]
        if isinstance(param, click.Option):
            options += [param.opts[0], *drawn]
        else:
            positionals += drawn
    return [*options, "--", *positionals]


def time_limit(param: click.Parameter, value: str | None) -> str:
    """A planner's time limit: junk the parser refuses, or else the shortest."""
    kind = param.type
    least = kind.min if isinstance(kind, click.FloatRange) else None
    shortest = str(least if least and not kind.min_open else SHORTEST)
    if value is None:
        return shortest
    try:
        seconds = kind.convert(value, param, None)
    except click.BadParameter:
        return value
    assert math.isfinite(seconds), f"{param.name} takes {value!r}: planning forever"
    return value if seconds <= float(shortest) else shortest


# -- the database ----------------------------------------------------------------


@pytest.fixture(scope="module")
def env(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A migrated database of this module's own with the demo county and a few
    parcels (no plan: that is the commands' to make)."""
    for own in own_database(database_url, tmp_path_factory.mktemp("junk")):
        short_demo(own)
        yield {**own, "COUNTYHUB_PLAN_SECONDS": str(SHORTEST)}


@pytest.fixture(scope="module")
def known(env: dict[str, str]) -> dict[str, list[str]]:
    """Names that exist, by parameter name: junk beside them reaches further."""
    engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
    with Session(engine) as session:

        def first(column: Any) -> list[str]:
            return [str(v) for v in session.scalars(select(column).limit(3))]

        points, vehicles = first(ServicePoint.code), first(Vehicle.code)
        found = {
            "as_user": first(User.username),
            "courier": [c.code for c in COURIERS],
            "point": points,
            "codes": points,
            "vehicle": vehicles,
            "route": [",".join(points)],
            "depot": [*first(Depot.code), *first(Depot.id)],
            "waybill": first(Parcel.waybill_no),
            "number": first(Parcel.waybill_no),
            "target": [s.value for s in Status],
        }
    engine.dispose()
    return found


# -- the tests -------------------------------------------------------------------


def test_the_walk_finds_every_command():
    """The tree is walked into its groups; the servers are left out."""
    assert len(COMMANDS) >= 25, COMMANDS
    for path in [("parcels", "add"), ("county", "points"), ("plan", "make")]:
        assert path in COMMANDS
    assert ("audit",) in COMMANDS and ("db", "backup") in COMMANDS
    assert not SERVERS & set(COMMANDS)


def test_the_documented_statuses_are_read():
    """The table of exit statuses in ``countyhub.cli`` is where they come from."""
    assert {0, 1, 2, 3, 7, 10, 70} <= documented_statuses() <= set(range(100))


def assert_one_line_at_most(result: Result, args: list[Any]) -> None:
    """A documented status that is no broken database nor bug; no traceback; a
    failure says so in one ``error:`` line on stderr."""
    status = result.exit_code
    command = " ".join(repr(arg)[:80] for arg in args)
    shown = f"countyhub {command} -> {status}\n{result.output[-2000:]}"
    assert "Traceback" not in result.output, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert status in documented_statuses() - NOT_JUNKS, shown
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    if status == 1:  # rows or a number rejected (no error line); a ClickException
        assert len(errors) <= 1, shown
    else:
        assert len(errors) == (status != 0), shown


REFUSED_BY_PARSERS = {
    "seconds-inf": (
        ("plan", "make", "--date", "today", "--seconds", "inf"),
        "--seconds",
    ),
    "seconds-nan": (
        ("plan", "make", "--date", "today", "--seconds", "nan"),
        "--seconds",
    ),
    "cycle-a-year": (("plan", "cycle", "--seconds", "3e7"), "--seconds"),
    "year-1": (("plan", "make", "--date", "0001-01-01"), "--date"),
    "year-9999": (("plan", "show", "9999-12-31"), "DAY"),
    "audit-year-1": (("audit", "--since", "0001-01-01"), "--since"),
    "weight-nan": (
        ("parcels", "add", "--waybill", "x", "--address", "x", "--weight", "nan"),
        "--weight",
    ),
    "pieces-huge": (
        ("parcels", "add", "--waybill", "x", "--address", "x", "--pieces", str(10**20)),
        "--pieces",
    ),
    "surrogate": (("parcels", "show", "\udcff"), "WAYBILL"),
    "nul": (("parcels", "show", "x", "--as", "\x00"), "--as"),
    "surrogate-number": (("couriers", "detect", "\ud800"), "NUMBER"),
    "nul-folder": (("county", "load", "\x00"), "[FOLDER]"),
    "long-name": (("db", "backup", "x" * 300), "FILE"),
    "no-folder": (("db", "backup", "no/such/folder/backup.sqlite"), "FILE"),
}


@pytest.mark.parametrize(
    ("args", "names"), REFUSED_BY_PARSERS.values(), ids=REFUSED_BY_PARSERS
)
def test_known_junk_is_refused_by_the_parser(
    args: tuple[str, ...], names: str, env: dict[str, str], tmp_path: Path
):
    """Exit 2 and one line naming the parameter, before any service runs."""
    path = next(path for path in COMMANDS if args[: len(path)] == path)
    with pytest.raises(click.BadParameter) as refused:  # parsed only: nothing runs
        command_at(path).make_context(" ".join(path), list(args[len(path) :]))
    assert f"Invalid value for '{names}'" in refused.value.format_message()
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(main, list(args), env={**env, **UNSET})
    assert_one_line_at_most(result, list(args))
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{names}'" in result.stderr, result.stderr


def examples_for(command: click.Command) -> int:
    """Few for a command without parameters (only its standard input varies) and
    for one that plans (each plan takes its least time); more for the others."""
    names = {param.name for param in command.params}
    return 3 if not names else 12 if names & TIME_LIMITS else 25


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_junk_exits_with_a_documented_status(
    path: tuple[str, ...],
    env: dict[str, str],
    known: dict[str, list[str]],
    tmp_path_factory: pytest.TempPathFactory,
):
    """Any junk for any parameter: one line and a documented status, no bug."""
    command = command_at(path)
    base = tmp_path_factory.getbasetemp()

    @settings(EXAMPLES, max_examples=examples_for(command))
    @given(data=st.data())
    def junk_for_the_command(data: st.DataObject) -> None:
        drawn = arguments_for(command, data, known)
        stdin = data.draw(st.none() | STDIN, label="standard input")
        # in a folder of its own: a junk path names a file there, not in the checkout
        with tempfile.TemporaryDirectory(dir=base) as here, contextlib.chdir(here):
            args = [*path, *(place(value, Path(here)) for value in drawn)]
            result = CliRunner().invoke(main, args, input=stdin, env={**env, **UNSET})
        known_crash = PLATFORM_CRASHES.get(path)
        if known_crash is not None and known_crash.search(result.stderr):
            reject()  # reported; its example is below
        assert_one_line_at_most(result, args)

    junk_for_the_command()


def first_row_with(name: str, column: int, value: str) -> bytes:
    """The default county's file ``name`` with ``value`` in ``column`` of its
    first row."""
    text = (default_county_dir() / name).read_text(encoding="utf-8")
    head, first, *rest = text.splitlines()
    cells = first.split(",", head.count(","))
    cells[column] = value
    return "\n".join([head, ",".join(cells), *rest, ""]).encode()


GAZETTEER_CRASHES = {
    "seat-not-a-number": ("county.csv", first_row_with("county.csv", 4, "x")),
    "seat-nan": ("county.csv", first_row_with("county.csv", 4, "nan")),
    "no-county-row": (
        "county.csv",
        first_row_with("county.csv", 0, "").split(b"\n")[0],
    ),
    "no-name-column": ("county.csv", b"code\n360926\n"),
    "not-utf-8": ("villages.csv", b"\xff\xfe\x00x"),
    "nul-in-a-name": ("villages.csv", first_row_with("villages.csv", 1, "城\x00南")),
    "code-too-long": ("villages.csv", first_row_with("villages.csv", 0, "3" * 16)),
}


@pytest.fixture(scope="module")
def bare(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """A new database with no county: the refused loads change nothing in it."""
    for own in own_database(database_url, tmp_path_factory.mktemp("bare")):
        result = CliRunner().invoke(main, ["db", "upgrade"], env={**own, **UNSET})
        assert result.exit_code == 0, result.output
        yield own


@pytest.mark.parametrize(
    ("name", "content"), GAZETTEER_CRASHES.values(), ids=GAZETTEER_CRASHES
)
def test_a_county_file_of_junk_is_refused(
    name: str, content: bytes, bare: dict[str, str], tmp_path: Path
):
    """A county folder with one bad file: exit 2 and one line naming it."""
    folder = shutil.copytree(default_county_dir(), tmp_path / "county")
    (folder / name).write_bytes(content)
    result = CliRunner().invoke(
        main, ["county", "load", str(folder)], env={**bare, **UNSET}
    )
    assert_one_line_at_most(result, ["county", "load", str(folder)])
    assert result.exit_code == 2 and name in result.stderr, result.output
