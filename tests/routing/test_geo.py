"""Tests for countyhub.routing.geo: GCJ-02 conversion and haversine distance."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from countyhub.routing.geo import (
    gcj02_to_wgs84,
    haversine_m,
    in_china_bbox,
    wgs84_to_gcj02,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "tonggu"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared/data/tonggu is not beside the repo"
)

# Tonggu's WGS84 bounding box (SOURCES.md), with a little margin.
LON = st.floats(114.07, 114.74)
LAT = st.floats(28.37, 28.84)


def _rows(name: str) -> list[dict[str, str]]:
    with (SHARED / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_county_seat_matches_sources() -> None:
    """The county seat's AMap point converts to the WGS84 point SOURCES.md gives."""
    lon, lat = gcj02_to_wgs84(114.371172, 28.520769)
    assert haversine_m(lon, lat, 114.365811, 28.523890) < 1.0


def test_forward_offset_in_tonggu_is_as_documented() -> None:
    """In Tonggu GCJ-02 is about +0.0053° lon and −0.0031° lat from WGS84."""
    lon, lat = wgs84_to_gcj02(114.365811, 28.523890)
    assert lon - 114.365811 == pytest.approx(0.0053, abs=0.0002)
    assert lat - 28.523890 == pytest.approx(-0.0031, abs=0.0002)


@needs_shared
def test_inverse_reproduces_township_centre_conversions() -> None:
    """Every AMap township point converts to its *_from_gcj02 column within 1 m."""
    rows = [r for r in _rows("township_centres.csv") if r["lon_gcj02_amap2018"]]
    assert len(rows) == 12
    for r in rows:
        lon, lat = gcj02_to_wgs84(
            float(r["lon_gcj02_amap2018"]), float(r["lat_gcj02_amap2018"])
        )
        want = float(r["lon_wgs84_from_gcj02"]), float(r["lat_wgs84_from_gcj02"])
        assert haversine_m(lon, lat, *want) < 1.0, r["name"]


@needs_shared
def test_inverse_reproduces_village_conversions() -> None:
    """The five AMap village points convert to their *_from_gcj02 columns within 1 m."""
    rows = [r for r in _rows("villages_2016_urcode_coords.csv") if r["lon_gcj02"]]
    assert len(rows) == 5
    for r in rows:
        lon, lat = gcj02_to_wgs84(float(r["lon_gcj02"]), float(r["lat_gcj02"]))
        want = float(r["lon_wgs84_from_gcj02"]), float(r["lat_wgs84_from_gcj02"])
        assert haversine_m(lon, lat, *want) < 1.0, r["name"]


@needs_shared
def test_gap_between_geonames_and_amap_seats_matches_sources() -> None:
    """haversine_m gives the gap_m column (GeoNames vs converted AMap) to the metre."""
    rows = [r for r in _rows("township_centres.csv") if r["gap_m"]]
    assert len(rows) == 9
    for r in rows:
        gap = haversine_m(
            float(r["lon_wgs84_geonames"]),
            float(r["lat_wgs84_geonames"]),
            float(r["lon_wgs84_from_gcj02"]),
            float(r["lat_wgs84_from_gcj02"]),
        )
        assert round(gap) == int(r["gap_m"]), r["name"]


@pytest.mark.parametrize(("lon", "lat"), [(0.0, 0.0), (-73.98, 40.75), (139.7, 35.7)])
def test_identity_outside_china(lon: float, lat: float) -> None:
    """Outside China's bounding box both transforms return the point unchanged."""
    assert not in_china_bbox(lon, lat)
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


@given(LON, LAT)
def test_round_trip_wgs84_gcj02_wgs84(lon: float, lat: float) -> None:
    """WGS84 → GCJ-02 → WGS84 comes back within 0.5 m anywhere in the county."""
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert haversine_m(lon, lat, *back) < 0.5


@given(LON, LAT)
def test_inverse_residual_is_below_half_a_metre(lon: float, lat: float) -> None:
    """The forward image of the inverse is within 0.5 m of the GCJ-02 input."""
    w = gcj02_to_wgs84(lon, lat)
    assert haversine_m(lon, lat, *wgs84_to_gcj02(*w)) < 0.5


@given(LON, LAT)
def test_offset_is_a_few_hundred_metres(lon: float, lat: float) -> None:
    """In the county the datum shift is between 400 and 800 m."""
    assert 400 < haversine_m(lon, lat, *wgs84_to_gcj02(lon, lat)) < 800


def test_haversine_known_distances() -> None:
    """One degree of latitude is about 111.2 km; a point is 0 m from itself."""
    assert haversine_m(114.3, 28.5, 114.3, 28.5) == 0.0
    assert haversine_m(114.3, 28.0, 114.3, 29.0) == pytest.approx(111_195, rel=1e-4)
    one_lon = haversine_m(114.0, 28.5, 115.0, 28.5)
    assert one_lon == pytest.approx(111_195 * math.cos(math.radians(28.5)), rel=1e-3)


@given(LON, LAT, LON, LAT)
def test_haversine_is_symmetric(a: float, b: float, c: float, d: float) -> None:
    """The distance from A to B equals the distance from B to A."""
    assert haversine_m(a, b, c, d) == pytest.approx(haversine_m(c, d, a, b))
