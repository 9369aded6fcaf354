"""Rebuild china.json from DCW-GMT (run by hand; netopt never runs it).

Source: Debian's package ``gmt-dcw`` 2.1.1-1, file /usr/share/gmt-dcw/dcw-gmt.nc (the
Digital Chart of the World for GMT, 1:1,000,000; LGPL-3+, see README.md here). Reading it
needs h5py (netCDF-4 is HDF5); netopt does not depend on it::

    apt-get download gmt-dcw && dpkg -x gmt-dcw_*.deb dcw
    python make_boundaries.py dcw/usr/share/gmt-dcw/dcw-gmt.nc china.json

Each outline is split at DCW's segment marks, clipped to a box round China (points
clamped to the box edge), simplified by Douglas-Peucker with a tolerance of 0.04 degrees
(about 4 km, under a pixel on a 9-inch map) and stored as integer hundredths of a degree.
"""

from __future__ import annotations

import json
import sys

import numpy as np

BOX = (70.0, 140.0, 14.0, 56.0)  # lon min, lon max, lat min, lat max
TOL = 0.04
PROVINCES = {
    "AH": ("Anhui", "安徽"), "BJ": ("Beijing", "北京"), "CQ": ("Chongqing", "重庆"),
    "FJ": ("Fujian", "福建"), "GD": ("Guangdong", "广东"), "GS": ("Gansu", "甘肃"),
    "GX": ("Guangxi", "广西"), "GZ": ("Guizhou", "贵州"), "HA": ("Henan", "河南"),
    "HB": ("Hubei", "湖北"), "HE": ("Hebei", "河北"), "HI": ("Hainan", "海南"),
    "HK": ("Hong Kong", "香港"), "HL": ("Heilongjiang", "黑龙江"), "HN": ("Hunan", "湖南"),
    "JL": ("Jilin", "吉林"), "JS": ("Jiangsu", "江苏"), "JX": ("Jiangxi", "江西"),
    "LN": ("Liaoning", "辽宁"), "MO": ("Macao", "澳门"), "NM": ("Inner Mongolia", "内蒙古"),
    "NX": ("Ningxia", "宁夏"), "QH": ("Qinghai", "青海"), "SC": ("Sichuan", "四川"),
    "SD": ("Shandong", "山东"), "SH": ("Shanghai", "上海"), "SN": ("Shaanxi", "陕西"),
    "SX": ("Shanxi", "山西"), "TJ": ("Tianjin", "天津"), "TW": ("Taiwan", "台湾"),
    "XJ": ("Xinjiang", "新疆"), "XZ": ("Tibet", "西藏"), "YN": ("Yunnan", "云南"),
    "ZJ": ("Zhejiang", "浙江"),
}
NEIGHBOURS = {"MN": "Mongolia", "RU": "Russia", "KZ": "Kazakhstan", "KG": "Kyrgyzstan",
              "TJ": "Tajikistan", "AF": "Afghanistan", "PK": "Pakistan", "IN": "India",
              "NP": "Nepal", "BT": "Bhutan", "BD": "Bangladesh", "MM": "Myanmar",
              "LA": "Laos", "VN": "Vietnam", "TH": "Thailand", "KH": "Cambodia",
              "KP": "North Korea", "KR": "South Korea", "JP": "Japan", "PH": "Philippines",
              "UZ": "Uzbekistan", "MY": "Malaysia"}


def _segments(f, key):
    lon, lat = f[f"{key}_lon"], f[f"{key}_lat"]
    x = lon[:].astype(float)
    y = lat[:].astype(float)
    cut = (x == 65535) | (y == 65535)
    x = lon.attrs["min"][0] + x / lon.attrs["scale"][0]
    y = lat.attrs["min"][0] + y / lat.attrs["scale"][0]
    edges = np.flatnonzero(cut)
    for a, b in zip(np.r_[0, edges + 1], np.r_[edges, len(x)]):
        if b - a >= 3:
            yield np.column_stack([x[a:b], y[a:b]])


def _dp(p, tol):
    """Douglas-Peucker, iterative."""
    keep = np.zeros(len(p), bool)
    keep[[0, -1]] = True
    stack = [(0, len(p) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = p[b] - p[a]
        n = np.hypot(*seg)
        rel = p[a + 1:b] - p[a]
        d = (np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / n if n > 0
             else np.hypot(rel[:, 0], rel[:, 1]))
        i = int(np.argmax(d))
        if d[i] > tol:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return p[keep]


def _rings(f, key):
    out = []
    for p in _segments(f, key):
        if (p[:, 0].max() < BOX[0] or p[:, 0].min() > BOX[1] or p[:, 1].max() < BOX[2]
                or p[:, 1].min() > BOX[3]):
            continue
        p = np.column_stack([np.clip(p[:, 0], BOX[0], BOX[1]), np.clip(p[:, 1], BOX[2], BOX[3])])
        q = _dp(p, TOL)
        if len(q) >= 4 and np.ptp(q[:, 0]) + np.ptp(q[:, 1]) > 3 * TOL:
            out.append(np.round(q * 100).astype(int).ravel().tolist())
    return out


def main(src, dst):
    import h5py
    f = h5py.File(src, "r")
    data = {"source": "DCW-GMT 2.1.1 (Debian gmt-dcw 2.1.1-1), LGPL-3+; simplified "
                      f"(Douglas-Peucker {TOL} deg), clipped to lon {BOX[0]:g}-{BOX[1]:g}, "
                      f"lat {BOX[2]:g}-{BOX[3]:g}; coordinates in 0.01 deg (lon, lat pairs)",
            "provinces": {}, "countries": {}}
    for code, (name, zh) in PROVINCES.items():
        data["provinces"][code] = {"name": name, "zh": zh, "rings": _rings(f, f"CN{code}")}
    data["countries"]["CN"] = {"name": "China", "zh": "中国", "rings": _rings(f, "CN")}
    for code, name in NEIGHBOURS.items():
        rings = _rings(f, code)
        if rings:
            data["countries"][code] = {"name": name, "rings": rings}
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main(*sys.argv[1:3])
