"""Inline SVG: the cost curve, spend and people per year, and a map of the plan.

No JavaScript and no external files, so the same markup works on the results page, in the
printable report and in the PDF printed by headless Chromium. Every label passed in is escaped.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exponent
        if top >= value:
            return top
    return 10 ** (exponent + 1)


def _ticks(top: float, n: int = 4) -> list[float]:
    return [top * k / n for k in range(n + 1)]


def cost_curve_svg(
    points: list[dict],
    *,
    x_label: str,
    y_label: str,
    format_x,
    format_y,
    title: str,
    infeasible_label: str,
    width: int = 560,
    height: int = 300,
) -> SafeString:
    """People served against the total budget, one marker per solve.

    ``points`` have ``budget``, ``people``, ``scale``, ``has_plan`` and ``is_main``; points
    without a plan (infeasible) are drawn hollow on the axis and named in a note.
    """
    left, right, top, bottom = 70, 20, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    max_x = _nice_max(max((p["budget"] for p in points), default=1.0))
    max_y = _nice_max(max((p["people"] for p in points), default=1.0))

    def sx(v):
        return left + plot_w * v / max_x

    def sy(v):
        return top + plot_h * (1 - v / max_y)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart cost-curve" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
        'stroke="#bbb"/>',
    ]
    for t in _ticks(max_y):
        y = sy(t)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(format_y(t))}</text>"
        )
    for t in _ticks(max_x):
        x = sx(t)
        out.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11">'
            f"{escape(format_x(t))}</text>"
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" '
        f'font-size="12">{escape(x_label)}</text>'
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    feasible = [p for p in points if p["has_plan"]]
    if len(feasible) > 1:
        path = " ".join(
            f"{'M' if k == 0 else 'L'}{sx(p['budget']):.1f},{sy(p['people']):.1f}"
            for k, p in enumerate(feasible)
        )
        out.append(f'<path d="{path}" fill="none" stroke="#0b5cad" stroke-width="2"/>')
    for p in points:
        x, y = sx(p["budget"]), sy(p["people"] if p["has_plan"] else 0)
        fill = "#0b5cad" if p["has_plan"] else "#fff"
        radius = 6 if p["is_main"] else 4.5
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" stroke="#0b5cad" '
            f'stroke-width="2" data-scale="{p["scale"]:g}" data-people="{p["people"]}"/>'
            f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="10">'
            f"{p['scale'] * 100:.0f}%</text>"
        )
    missing = [p for p in points if not p["has_plan"]]
    if missing:
        names = ", ".join(f"{p['scale'] * 100:.0f}%" for p in missing)
        out.append(
            f'<text x="{left + 6}" y="{top + 14}" font-size="11" fill="#b71c1c">'
            f"{escape(infeasible_label)}: {escape(names)}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # every label above is escaped


def year_bars_svg(
    rows: list[dict],
    *,
    title: str,
    labels: dict[str, str],
    format_money,
    width: int = 560,
    height: int = 260,
) -> SafeString:
    """Capex and opex spent per year (stacked) against the year's budget (a tick)."""
    left, right, top, bottom = 80, 20, 30, 45
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(
        max([max(r["spend"], r["budget"], r["available"]) for r in rows], default=1.0)
    )
    n = max(len(rows), 1)
    slot = plot_w / n
    bar = slot * 0.55

    def sy(v):
        return top + plot_h * (1 - v / top_value)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart year-bars" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for t in _ticks(top_value):
        y = sy(t)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10">'
            f"{escape(format_money(t))}</text>"
        )
    for k, r in enumerate(rows):
        x = left + slot * k + (slot - bar) / 2
        capex_top = sy(r["capex"])
        out.append(
            f'<rect x="{x:.1f}" y="{capex_top:.1f}" width="{bar:.1f}" '
            f'height="{top + plot_h - capex_top:.1f}" fill="#2171b5"/>'
        )
        opex_top = sy(r["capex"] + r["opex"])
        out.append(
            f'<rect x="{x:.1f}" y="{opex_top:.1f}" width="{bar:.1f}" '
            f'height="{capex_top - opex_top:.1f}" fill="#9ecae1"/>'
        )
        y_budget = sy(r["available"])
        out.append(
            f'<line x1="{x - 4:.1f}" y1="{y_budget:.1f}" x2="{x + bar + 4:.1f}" '
            f'y2="{y_budget:.1f}" stroke="#b71c1c" stroke-width="2"/>'
            f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 15}" text-anchor="middle" '
            f'font-size="11">{r["year"]}</text>'
        )
    legend_y = height - 10
    x = left
    for kind, label in (("capex", labels["capex"]), ("opex", labels["opex"])):
        colour = "#2171b5" if kind == "capex" else "#9ecae1"
        out.append(
            f'<rect x="{x:.0f}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.0f}" y="{legend_y}" font-size="11">{escape(label)}</text>'
        )
        x += 14 + 6.5 * len(label) + 18
    out.append(
        f'<line x1="{x:.0f}" y1="{legend_y - 4}" x2="{x + 16:.0f}" y2="{legend_y - 4}" '
        'stroke="#b71c1c" stroke-width="2"/>'
        f'<text x="{x + 20:.0f}" y="{legend_y}" font-size="11">{escape(labels["budget"])}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # every label above is escaped


def _rings(geometry: dict) -> list[list]:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry.get("coordinates") or [])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry.get("coordinates") or [] for ring in polygon]
    return []


def plan_map_svg(
    areas: list[dict],
    points: list[dict],
    lines: list[dict],
    *,
    title: str,
    legend: list[tuple[str, str]],
    width: int = 700,
) -> SafeString:
    """The regency with village polygons filled by plan year and markers for new sites.

    ``areas``: ``{"geometry", "fill", "title"}`` (GeoJSON polygons in lon/lat); ``points``:
    ``{"lat", "lon", "fill", "title", "shape"}`` (shape ``circle`` or ``square``); ``lines``:
    ``{"coords": [(lon, lat), ...], "stroke", "dash"}``; ``legend``: (colour, label).
    """
    lons = [c[0] for a in areas for ring in _rings(a["geometry"]) for c in ring]
    lats = [c[1] for a in areas for ring in _rings(a["geometry"]) for c in ring]
    if not lons:
        return mark_safe("")
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * kx, 1e-9)
    span_y = max(north - south, 1e-9)
    margin = 8
    scale = (width - 2 * margin) / span_x
    map_h = span_y * scale + 2 * margin
    legend_h = 18 * len(legend) + 8
    height = map_h + legend_h

    def xy(lon, lat):
        return margin + (lon - west) * kx * scale, margin + (north - lat) * scale

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'class="chart plan-map" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for area in areas:
        d = []
        for ring in _rings(area["geometry"]):
            pts = [xy(c[0], c[1]) for c in ring]
            if len(pts) < 3:
                continue
            d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        if d:
            out.append(
                f'<path d="{" ".join(d)}" fill="{escape(area["fill"])}" stroke="#555" '
                f'stroke-width="0.4" fill-rule="evenodd"><title>{escape(area["title"])}</title>'
                "</path>"
            )
    for line in lines:
        pts = [xy(lon, lat) for lon, lat in line["coords"]]
        dash = ' stroke-dasharray="4 3"' if line.get("dash") else ""
        out.append(
            '<polyline points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            + f'" fill="none" stroke="{escape(line["stroke"])}" stroke-width="1.4"{dash}/>'
        )
    for point in points:
        x, y = xy(point["lon"], point["lat"])
        fill = escape(point["fill"])
        if point.get("shape") == "square":
            shape = f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" '
        else:
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.8" '
        out.append(
            shape + f'fill="{fill}" stroke="#fff" stroke-width="1">'
            f"<title>{escape(point['title'])}</title>"
            + ("</rect>" if point.get("shape") == "square" else "</circle>")
        )
    for k, (colour, label) in enumerate(legend):
        y = map_h + 6 + 18 * k
        out.append(
            f'<rect x="{margin}" y="{y:.0f}" width="12" height="12" fill="{escape(colour)}" '
            f'stroke="#555" stroke-width="0.5"/><text x="{margin + 18}" y="{y + 10:.0f}" '
            f'font-size="11">{escape(label)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # every label above is escaped
