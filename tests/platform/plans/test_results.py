"""Publishing a plan (parcels loaded) and recording its runs' results, from a file."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput, NotFound, PlanLocked
from countyhub.platform.intake.registration import register_parcel
from countyhub.platform.models import (
    Parcel,
    ParcelEvent,
    Plan,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    PointVisit,
    ServicePoint,
    User,
    Vehicle,
)
from countyhub.platform.parcels.registry import assign_point
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.plans.results import publish_plan, record_results
from countyhub.platform.plans.results_file import StopResult, read_results
from countyhub.platform.plans.sheet import results_sheet
from tests.platform.intake.test_registration import zto

DAY = dt.date(2026, 5, 4)
HUCUN, CHENGBEI, CHENGNAN = "360926105204", "360926100003", "360926100001"
# The plan of DAY: vehicle -> [(point, [waybills to drop], [waybills to collect])]
LAYOUT = {
    "VAN-1": [(HUCUN, ["73610555580001", "73610555580002", "73610555580003"],
               ["73610555580101", "73610555580102"]),
              (CHENGBEI, ["73610555580004"], [])],
    "TRI-1": [(CHENGNAN, ["73610555580005"], ["73610555580103"])],
}  # fmt: skip
D1, D2, D3, D4, D5 = (f"7361055558000{n}" for n in range(1, 6))
O1, O2, O3 = "73610555580101", "73610555580102", "73610555580103"


def sorted_parcel(session: Session, admin: User, waybill: str, point: str) -> Parcel:
    """An inbound parcel sorted at the centre for ``point``."""
    parcel = session.get(
        Parcel, register_parcel(session, admin, zto(waybill)).parcel_id
    )
    if parcel.service_point.code != point:
        assign_point(session, admin, parcel, point)
    for status in (Status.RECEIVED, Status.SORTED):
        record_scan(session, admin, parcel, status)
    return parcel


def outbound_parcel(session: Session, admin: User, waybill: str, point: str) -> Parcel:
    """Farm products registered at ``point``, waiting to be collected."""
    item = zto(
        waybill, direction="outbound", address="上海市浦东新区", service_point=point
    )
    return session.get(Parcel, register_parcel(session, admin, item).parcel_id)


Layout = dict[str, list[tuple[str, list[str], list[str]]]]


def make_plan(
    session: Session, admin: User, day: dt.date = DAY, layout: Layout = LAYOUT
) -> Plan:
    """A draft plan of ``layout`` over fresh parcels, made with the model classes."""
    plan = Plan(day=day, method="test", seconds=0.1, objective=0, distance_m=0,
                runtime=0.1, feasible=True)  # fmt: skip
    for position, (vehicle_code, stops) in enumerate(layout.items()):
        vehicle = session.scalar(select(Vehicle).where(Vehicle.code == vehicle_code))
        run = PlanRun(position=position, vehicle=vehicle, distance_m=0,
                      duration_s=0, load_parcels=0, load_kg=0.0)  # fmt: skip
        plan.runs.append(run)
        for at, (code, drops, collects) in enumerate(stops):
            point = session.scalar(
                select(ServicePoint).where(ServicePoint.code == code)
            )
            stop = PlanStop(position=at, service_point=point, arrival_seconds=0,
                            load_parcels=0, load_kg=0.0, required=True)  # fmt: skip
            run.stops.append(stop)
            for waybill in drops:
                parcel = sorted_parcel(session, admin, waybill, code)
                stop.parcels.append(PlanStopParcel(parcel=parcel, action="drop"))
            for waybill in collects:
                parcel = outbound_parcel(session, admin, waybill, code)
                stop.parcels.append(PlanStopParcel(parcel=parcel, action="collect"))
    session.add(plan)
    session.flush()
    return plan


@pytest.fixture
def plan(session: Session, admin: User) -> Plan:
    return make_plan(session, admin)


@pytest.fixture
def published(session: Session, dispatcher: User, plan: Plan) -> Plan:
    return publish_plan(session, dispatcher, DAY)


def parcel(session: Session, waybill: str) -> Parcel:
    return session.scalar(select(Parcel).where(Parcel.waybill_no == waybill))


def statuses(session: Session, *waybills: str) -> list[str]:
    return [parcel(session, w).status for w in waybills]


def event_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ParcelEvent))


def visits(session: Session) -> list[tuple[str, dt.date]]:
    rows = session.execute(
        select(ServicePoint.code, PointVisit.visited_on)
        .join(ServicePoint, ServicePoint.id == PointVisit.service_point_id)
        .order_by(ServicePoint.code)
    )
    return [tuple(row) for row in rows]


# --- publishing -------------------------------------------------------------------


def test_publish_loads_the_drop_parcels(session: Session, dispatcher: User, plan: Plan):
    """Every drop parcel goes sorted → loaded, its event naming the day and vehicle."""
    published = publish_plan(session, dispatcher, DAY)
    assert published is plan and plan.status == "published"
    assert plan.published_by_id == dispatcher.id and plan.published_at is not None
    assert statuses(session, D1, D2, D3, D4, D5) == ["loaded"] * 5
    assert statuses(session, O1, O2, O3) == ["registered"] * 3
    event = session.scalar(
        select(ParcelEvent)
        .where(ParcelEvent.parcel_id == parcel(session, D5).id)
        .order_by(ParcelEvent.id.desc())
    )
    assert (event.from_status, event.to_status, event.place) == (
        "sorted",
        "loaded",
        "vehicle",
    )
    assert event.actor_id == dispatcher.id
    assert event.details["plan"] == "2026-05-04" and event.details["vehicle"] == "TRI-1"


def test_publish_refuses_parcels_no_longer_sorted(
    session: Session, dispatcher: User, plan: Plan
):
    """A parcel returned since the plan was made: refused, named, nothing written."""
    record_scan(session, dispatcher, parcel(session, D2), Status.RETURNED)
    before = event_count(session)
    with pytest.raises(InvalidInput, match="Make the plan again") as caught:
        publish_plan(session, dispatcher, DAY)
    assert D2 in str(caught.value) and D1 not in str(caught.value)
    assert event_count(session) == before
    assert statuses(session, D1, D3, D4, D5) == ["sorted"] * 4
    assert plan.status == "draft" and plan.published_at is None


def test_publish_refuses_parcels_routed_elsewhere(
    session: Session, dispatcher: User, plan: Plan
):
    """A sorted parcel given another point since the plan was made is refused."""
    assign_point(session, dispatcher, parcel(session, D4), CHENGNAN)
    with pytest.raises(InvalidInput, match=D4) as caught:
        publish_plan(session, dispatcher, DAY)
    assert caught.value.problems == {D4: "goes to another service point now"}
    assert statuses(session, D1, D4) == ["sorted", "sorted"]


@pytest.mark.parametrize("status", ["published", "done"])
def test_only_a_draft_is_published(
    session: Session, dispatcher: User, plan: Plan, status: str
):
    """A published or done plan is locked."""
    plan.status = status
    with pytest.raises(PlanLocked, match=status):
        publish_plan(session, dispatcher, DAY)


def test_publish_a_day_without_plan(session: Session, dispatcher: User):
    """No plan for the day: NotFound."""
    with pytest.raises(NotFound, match="plan"):
        publish_plan(session, dispatcher, DAY + dt.timedelta(days=400))


@pytest.mark.parametrize("role", ["analyst", "zto_clerk", "point_operator"])
def test_only_dispatchers_and_admins_publish(
    request: pytest.FixtureRequest, session: Session, plan: Plan, role: str
):
    """Other roles may neither publish nor record."""
    actor = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        publish_plan(session, actor, DAY)
    with pytest.raises(Forbidden):
        record_results(session, actor, DAY, [StopResult("VAN-1", HUCUN, True)])
    assert plan.status == "draft"


def test_admin_publishes(session: Session, admin: User, plan: Plan):
    """An admin may publish too."""
    assert publish_plan(session, admin, DAY).published_by_id == admin.id


# --- recording --------------------------------------------------------------------


def test_record_a_visited_stop(session: Session, dispatcher: User, published: Plan):
    """Delivered parcels arrive with pickup codes, the rest come back; a visit."""
    at = dt.datetime.now(dt.UTC)  # a step's time follows the parcel's earlier steps
    result = StopResult("VAN-1", HUCUN, True, (D3,), (O2,))
    summary = record_results(session, dispatcher, DAY, [result], at=at)
    assert (summary.stops, summary.visits, summary.delivered) == (1, 1, 2)
    assert (summary.returned_to_centre, summary.collected) == (1, 1)
    assert (summary.not_collected, summary.done) == (1, False)
    assert statuses(session, D1, D2, D3, O1, O2) == [
        "arrived",
        "arrived",
        "sorted",
        "at_centre",
        "registered",
    ]
    codes = {parcel(session, w).pickup_code for w in (D1, D2)}
    assert len(codes) == 2 and None not in codes
    stop = published.runs[0].stops[0]
    assert stop.visited is True and stop.recorded_at is not None
    outcomes = {i.parcel.waybill_no: i.outcome for i in stop.parcels}
    assert outcomes == {
        D1: "delivered",
        D2: "delivered",
        D3: "not_delivered",
        O1: "collected",
        O2: "not_collected",
    }
    assert visits(session) == [(HUCUN, DAY)]
    visit = session.scalar(select(PointVisit))
    assert (visit.plan_id, visit.recorded_by_id) == (published.id, dispatcher.id)
    assert visit.vehicle_id == published.runs[0].vehicle_id
    arrival = session.scalar(
        select(ParcelEvent).where(
            ParcelEvent.parcel_id == parcel(session, D1).id,
            ParcelEvent.to_status == "arrived",
        )
    )
    assert arrival.at == at and arrival.place == "point"
    assert statuses(session, D4, D5) == ["loaded", "loaded"]  # other stops untouched


def test_record_a_stop_not_visited(session: Session, dispatcher: User, published: Plan):
    """Not visited: the drop parcels come back sorted, nothing collected, no visit."""
    summary = record_results(
        session, dispatcher, DAY, [StopResult("TRI-1", CHENGNAN, False)]
    )
    assert (summary.delivered, summary.returned_to_centre) == (0, 1)
    assert (summary.collected, summary.not_collected, summary.visits) == (0, 1, 0)
    assert statuses(session, D5, O3) == ["sorted", "registered"]
    stop = published.runs[1].stops[0]
    assert stop.visited is False
    assert {i.outcome for i in stop.parcels} == {"not_delivered", "not_collected"}
    assert visits(session) == []


def test_plan_is_done_after_its_last_stop(
    session: Session, dispatcher: User, published: Plan
):
    """Recording the last stop makes the plan done; then it is locked."""
    first = [StopResult("VAN-1", HUCUN, True), StopResult("TRI-1", CHENGNAN, True)]
    assert not record_results(session, dispatcher, DAY, first).done
    assert published.status == "published"
    last = record_results(
        session, dispatcher, DAY, [StopResult("VAN-1", CHENGBEI, True)]
    )
    assert last.done and published.status == "done" and published.done_at
    assert visits(session) == sorted((p, DAY) for p in (HUCUN, CHENGBEI, CHENGNAN))
    with pytest.raises(PlanLocked, match="done"):
        record_results(session, dispatcher, DAY, [StopResult("VAN-1", HUCUN, True)])


def test_a_recorded_stop_is_not_recorded_again(
    session: Session, dispatcher: User, published: Plan
):
    """The same stop twice, in two calls or in one list, is refused."""
    result = StopResult("VAN-1", HUCUN, True)
    record_results(session, dispatcher, DAY, [result])
    with pytest.raises(InvalidInput, match="already recorded"):
        record_results(session, dispatcher, DAY, [result])
    again = [StopResult("TRI-1", CHENGNAN, True, row=2)] * 2
    with pytest.raises(InvalidInput, match="the same stop as row 2"):
        record_results(session, dispatcher, DAY, again)


def test_unknown_stop_refused_with_nothing_written(
    session: Session, dispatcher: User, published: Plan
):
    """One bad result among good ones: its row is named and nothing is written."""
    before = event_count(session)
    results = [
        StopResult("VAN-1", HUCUN, True, row=2),
        StopResult("TRI-1", HUCUN, True, row=3),
        StopResult("VAN-9", CHENGBEI, True, row=4),
    ]
    with pytest.raises(InvalidInput, match="row 3") as caught:
        record_results(session, dispatcher, DAY, results)
    assert set(caught.value.problems) == {"row 3", "row 4"}
    assert "VAN-9 has no stop" in caught.value.problems["row 4"]
    assert event_count(session) == before
    assert statuses(session, D1, D2, D3) == ["loaded"] * 3
    assert visits(session) == [] and published.runs[0].stops[0].recorded_at is None


def test_waybill_not_on_the_stop_refused(
    session: Session, dispatcher: User, published: Plan
):
    """A waybill of another stop, or a drop listed as not collected, is named."""
    result = StopResult("VAN-1", HUCUN, True, (D4, "73610555589999"), (D1,), row=7)
    with pytest.raises(InvalidInput) as caught:
        record_results(session, dispatcher, DAY, [result])
    problems = caught.value.problems
    assert D4 in problems["row 7, not_delivered"]
    assert "73610555589999" in problems["row 7, not_delivered"]
    assert D1 in problems["row 7, not_collected"]
    assert statuses(session, D1, D4) == ["loaded", "loaded"]


def test_a_draft_is_published_first(session: Session, dispatcher: User, plan: Plan):
    """Results of a draft plan are refused: publish first."""
    with pytest.raises(InvalidInput, match="publish it first"):
        record_results(session, dispatcher, DAY, [StopResult("VAN-1", HUCUN, True)])


def test_codes_match_loosely(session: Session, dispatcher: User, published: Plan):
    """Vehicle codes in any case, waybills as spreadsheets write them."""
    messy = f"{D3[:4]}-{D3[4:]}"
    result = StopResult(" van-1 ", HUCUN, True, (messy,))
    assert record_results(session, dispatcher, DAY, [result]).returned_to_centre == 1


def test_visit_log_not_doubled(
    session: Session, admin: User, dispatcher: User, published: Plan
):
    """A point already in the visit log for the day gets no second row."""
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == HUCUN))
    session.add(PointVisit(service_point_id=point.id, visited_on=DAY))
    session.flush()
    summary = record_results(
        session, dispatcher, DAY, [StopResult("VAN-1", HUCUN, True)]
    )
    assert summary.visits == 0 and visits(session) == [(HUCUN, DAY)]


def test_two_runs_at_one_point_log_one_visit(
    session: Session, admin: User, dispatcher: User
):
    """Two runs reaching the same point on the day make one row of the visit log."""
    layout = {"VAN-1": [(HUCUN, [D1], [])], "TRI-1": [(HUCUN, [D2], [])]}
    make_plan(session, admin, layout=layout)
    publish_plan(session, dispatcher, DAY)
    both = [StopResult("VAN-1", HUCUN, True), StopResult("TRI-1", HUCUN, True)]
    summary = record_results(session, dispatcher, DAY, both)
    assert (summary.visits, summary.delivered, summary.done) == (1, 2, True)
    assert visits(session) == [(HUCUN, DAY)]


def test_arrival_scanned_at_the_point_is_respected(
    session: Session, admin: User, dispatcher: User, published: Plan
):
    """A parcel the point scanned on arrival is delivered, never 'not delivered'."""
    record_scan(session, admin, parcel(session, D1), Status.ARRIVED)
    code = parcel(session, D1).pickup_code
    with pytest.raises(InvalidInput, match="arrived now"):
        record_results(session, dispatcher, DAY, [StopResult("VAN-1", HUCUN, False)])
    summary = record_results(
        session, dispatcher, DAY, [StopResult("VAN-1", HUCUN, True)]
    )
    assert summary.delivered == 3 and parcel(session, D1).pickup_code == code


def test_results_time_needs_a_zone(session: Session, dispatcher: User, published: Plan):
    """A naive time is refused before anything is written."""
    with pytest.raises(InvalidInput, match="time zone"):
        record_results(
            session,
            dispatcher,
            DAY,
            [StopResult("VAN-1", HUCUN, True)],
            at=dt.datetime(2026, 5, 4, 9),
        )


# --- the results file -------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_sheet_round_trip(
    session: Session, dispatcher: User, published: Plan, tmp_path
):
    """The template, filled in (a run's km on one of its rows), is read back and
    recorded: the plan is done and the run has its km."""
    sheet = results_sheet(published)
    lines = sheet.splitlines()
    assert lines[0].startswith("vehicle,point,visited,not_delivered,not_collected,km,")
    assert len(lines) == 4 and lines[1].startswith(f"VAN-1,{HUCUN},,,,,")
    filled = sheet.replace(f"{HUCUN},,,,,", f"{HUCUN},yes,{D3},,42.5,")
    filled = filled.replace(",,,,", ",no,,,")
    results = read_results(write(tmp_path, "results.csv", filled, "utf-8-sig"))
    assert [r.row for r in results] == [2, 3, 4]
    assert results[0] == StopResult("VAN-1", HUCUN, True, (D3,), (), 2, 42.5)
    summary = record_results(session, dispatcher, DAY, results)
    assert summary.done and summary.km_recorded == 1
    assert [r.km_recorded for r in published.runs] == [42.5, None]


def test_read_gb18030_with_chinese_headers(tmp_path: Path):
    """GB18030 (Excel's Chinese CSV), Chinese headers, 是/否, mixed separators."""
    text = (
        "车辆,服务点,到达,未投递,未揽收\n"
        f'VAN-1,{HUCUN},是,"{D1}，{D2}；{D3}",{O1}\n'
        "\n"
        f"TRI-1,{CHENGNAN},否,,\n"
    )
    results = read_results(write(tmp_path, "结果.csv", text, "gb18030"))
    assert results == [
        StopResult("VAN-1", HUCUN, True, (D1, D2, D3), (O1,), 2),
        StopResult("TRI-1", CHENGNAN, False, (), (), 4),
    ]


def test_read_xlsx_with_numbers(tmp_path: Path):
    """A workbook whose codes and waybills are stored as numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Vehicle", "Point", "Visited", "Not delivered", "Not collected"])
    sheet.append(["VAN-1", int(HUCUN), 1, int(D1), f"{O1} {O2}"])
    sheet.append(["TRI-1", CHENGNAN, False, None, None])
    path = tmp_path / "results.xlsx"
    book.save(path)
    assert read_results(path) == [
        StopResult("VAN-1", HUCUN, True, (D1,), (O1, O2), 2),
        StopResult("TRI-1", CHENGNAN, False, (), (), 3),
    ]


def test_bad_rows_are_named_by_row_and_column(tmp_path: Path):
    """Every bad cell is reported with its file, row and column; nothing returned."""
    text = (
        "车辆,服务点,到达,未投递\n"
        f"VAN-1,{HUCUN},maybe,\n"
        f",{CHENGNAN},yes,7.3610555582883E+13\n"
        f"TRI-1,{CHENGBEI},,\n"
    )
    with pytest.raises(InvalidInput) as caught:
        read_results(write(tmp_path, "bad.csv", text))
    message, problems = str(caught.value), caught.value.problems
    assert message.startswith("bad.csv: row 2, column 到达: 'maybe' is not yes or no")
    assert set(problems) == {
        "row 2, 到达",
        "row 3, 车辆",
        "row 3, 未投递",
        "row 4, 到达",
    }
    assert "shortened" in problems["row 3, 未投递"]
    assert "is empty" in problems["row 4, 到达"]


def test_many_problems_are_counted(tmp_path: Path):
    """The message spells out the first problems and counts the rest."""
    text = "vehicle,point,visited\n" + "VAN-1,P,perhaps\n" * 60
    with pytest.raises(InvalidInput, match="and 55 more problems") as caught:
        read_results(write(tmp_path, "many.csv", text))
    assert len(caught.value.problems) == 50


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"vehicle,point\nVAN-1,P\n", r"visited \(到达\)"),
        (b"vehicle,point,visited\n", "no stops"),
        (b"\xff\xfev\x00e\x00", "UTF-16"),
        (b"PK\x03\x04broken", "damaged"),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, data: bytes, match: str):
    """Files that are not a results sheet are refused with what to do."""
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    with pytest.raises(InvalidInput, match=match) as caught:
        read_results(path)
    assert str(caught.value).startswith("odd.csv: ")


WAYBILL = st.from_regex(r"7361055558[0-9]{4}", fullmatch=True)
SEPARATOR = st.sampled_from([" ", ",", "，", ";", "；", "、", " ; "])


@settings(max_examples=40, deadline=None)
@given(
    visited=st.booleans(),
    missed=st.lists(WAYBILL, max_size=6, unique=True),
    separator=SEPARATOR,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_waybill_lists_read_back(
    visited: bool, missed: list[str], separator: str, encoding: str
):
    """Any list, any separator, any encoding: read back as written, in order."""
    said = "是" if visited else "否"
    text = f'车辆,服务点,到达,未投递\nVAN-1,{HUCUN},{said},"{separator.join(missed)}"\n'
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "r.csv", text, encoding)
        assert read_results(path) == [
            StopResult("VAN-1", HUCUN, visited, tuple(missed), (), 2)
        ]
