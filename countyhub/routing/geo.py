"""Coordinate conversion between WGS84 and GCJ-02, and great-circle distance.

countyhub stores WGS84 (GPS, GeoNames, OSM). Chinese map services (AMap/高德,
Tencent) publish GCJ-02, the "offset" datum of the 2002 national rule: WGS84
shifted by a smooth, published-by-reverse-engineering function of position,
a few hundred metres in Jiangxi. Convert at the edges with these functions and
say which system a file or field is in.

The forward transform (WGS84 → GCJ-02) is the widely used public formula
(Krasovsky-ellipsoid constants and the two trigonometric series). It has no
closed-form inverse; ``gcj02_to_wgs84`` iterates the forward transform until
the residual is below a millimetre. Outside China's bounding box both
transforms are the identity, as the public formula defines them.

Pure: standard library only.
"""

from __future__ import annotations

import math

__all__ = ["gcj02_to_wgs84", "haversine_m", "in_china_bbox", "wgs84_to_gcj02"]

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 formula.
_A = 6378245.0
_EE = 0.00669342162296594323
# Mean Earth radius (IUGG), metres.
_EARTH_RADIUS_M = 6_371_008.8
# China's bounding box in the public formula (degrees).
_LON_MIN, _LON_MAX = 72.004, 137.8347
_LAT_MIN, _LAT_MAX = 0.8293, 55.8271
# Inverse: stop when the forward image is this close (degrees, ≈ 1 mm).
_INVERSE_TOL_DEG = 1e-8
_INVERSE_MAX_ITER = 30


def in_china_bbox(lon: float, lat: float) -> bool:
    """Tell whether a point is inside the bounding box where GCJ-02 applies.

    Parameters
    ----------
    lon, lat : float
        Longitude and latitude in degrees.

    Returns
    -------
    bool
        True when ``72.004 <= lon <= 137.8347`` and ``0.8293 <= lat <= 55.8271``.
    """
    return _LON_MIN <= lon <= _LON_MAX and _LAT_MIN <= lat <= _LAT_MAX


def _series_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
    ret += 0.2 * math.sqrt(abs(x))
    ret += (
        (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi))
        * 2
        / 3
    )
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    ret += (
        (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0))
        * 2
        / 3
    )
    return ret


def _series_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y
    ret += 0.1 * math.sqrt(abs(x))
    ret += (
        (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi))
        * 2
        / 3
    )
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    ret += (
        (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi))
        * 2
        / 3
    )
    return ret


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 minus WGS84 at a WGS84 point, in degrees (dlon, dlat)."""
    x, y = lon - 105.0, lat - 35.0
    rad_lat = math.radians(lat)
    magic = 1.0 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (
        _series_lat(x, y)
        * 180.0
        / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    )
    dlon = _series_lon(x, y) * 180.0 / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert a WGS84 point to GCJ-02 (the public forward formula).

    Parameters
    ----------
    lon, lat : float
        WGS84 longitude and latitude in degrees.

    Returns
    -------
    tuple of float
        ``(lon, lat)`` in GCJ-02, degrees. The input unchanged when the point
        is outside China's bounding box (see :func:`in_china_bbox`).
    """
    if not in_china_bbox(lon, lat):
        return lon, lat
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert a GCJ-02 point to WGS84 by iterating the forward transform.

    Starting from the GCJ-02 point, each step moves the estimate by the
    difference between its forward image and the target. The offset field is
    smooth (its Jacobian is close to the identity), so a few steps bring the
    residual below a millimetre; the result is within the forward formula's
    own precision of the true inverse.

    Parameters
    ----------
    lon, lat : float
        GCJ-02 longitude and latitude in degrees.

    Returns
    -------
    tuple of float
        ``(lon, lat)`` in WGS84, degrees. The input unchanged when the point is
        outside China's bounding box.
    """
    if not in_china_bbox(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _ in range(_INVERSE_MAX_ITER):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        d_lon, d_lat = g_lon - lon, g_lat - lat
        w_lon, w_lat = w_lon - d_lon, w_lat - d_lat
        if abs(d_lon) < _INVERSE_TOL_DEG and abs(d_lat) < _INVERSE_TOL_DEG:
            break
    return w_lon, w_lat


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance between two points on a sphere, in metres.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        Longitudes and latitudes of the two points in degrees (same datum).

    Returns
    -------
    float
        Distance in metres on a sphere of the mean Earth radius
        (6,371,008.8 m). Within about 0.5 % of the ellipsoidal distance.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
