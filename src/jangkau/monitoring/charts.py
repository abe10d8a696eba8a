"""Server-rendered inline SVG: the 90-day availability strip and line charts (no JS library).

Every function returns markup marked safe; all text that comes from data is escaped. The
charts scale to their container (``viewBox`` with ``width="100%"``) and carry ``<title>``
elements, so a hover shows the value and screen readers get a label.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WITA = timedelta(hours=8)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def availability_strip(bars: list[dict], label: str) -> SafeString:
    """One rect per day, coloured by availability (see ``stats.daily_bars``)."""
    n = max(1, len(bars))
    bar_w, gap, height = 6, 2, 28
    width = n * (bar_w + gap) - gap
    parts = [
        f'<svg class="strip" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="none" role="img" aria-label="{escape(label)}">'
    ]
    for i, bar in enumerate(bars):
        pct = bar["availability_pct"]
        text = (
            _("%(date)s: no data") % {"date": bar["date"].isoformat()}
            if pct is None
            else _("%(date)s: %(pct)s %% available (%(n)s results)")
            % {"date": bar["date"].isoformat(), "pct": f"{pct:.2f}", "n": bar["count"]}
        )
        parts.append(
            f'<rect x="{i * (bar_w + gap)}" y="0" width="{bar_w}" height="{height}" rx="1" '
            f'fill="{bar["colour"]}" data-date="{bar["date"].isoformat()}">'
            f"<title>{escape(text)}</title></rect>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _nice_max(value: float) -> float:
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def line_chart(
    series: list[tuple[str, str, list[tuple[float, float | None]]]],
    *,
    start: float,
    end: float,
    unit: str,
    title: str,
    y_max: float | None = None,
    width: int = 720,
    height: int = 220,
) -> SafeString:
    """A time-series line chart.

    Parameters
    ----------
    series : list of (name, colour, points)
        ``points`` are ``(epoch seconds, value or None)``; None breaks the line.
    start, end : float
        The time axis (epoch seconds).
    unit : str
        Unit shown on the y axis.
    title : str
        Accessible title.
    y_max : float, optional
        Fixed top of the y axis (e.g. 100 for percentages); default a round value above the
        largest point.
    """
    left, right, top, bottom = 48, 10, 12, 26
    pw, ph = width - left - right, height - top - bottom
    values = [v for _n, _c, pts in series for _x, v in pts if v is not None]
    top_value = y_max if y_max is not None else _nice_max(max(values, default=0.0) * 1.05)
    span = max(end - start, 1.0)

    def x(t: float) -> float:
        return left + pw * (t - start) / span

    def y(v: float) -> float:
        return top + ph * (1.0 - min(v, top_value) / top_value)

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fafbfc" stroke="#d9dee2"/>',
    ]
    for k in range(5):
        v = top_value * k / 4
        yy = y(v)
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e6e9ec"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{yy + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="#5f6b73">{_fmt(v, 0 if top_value >= 10 else 1)}</text>'
        )
    out.append(f'<text x="4" y="{top + 8}" font-size="10" fill="#5f6b73">{escape(unit)}</text>')
    n_ticks = 6
    for k in range(n_ticks + 1):
        t = start + span * k / n_ticks
        local = datetime.fromtimestamp(t, UTC) + WITA
        label = local.strftime("%d/%m %H:%M") if span <= 3 * 86400 else local.strftime("%d/%m")
        anchor = "start" if k == 0 else "end" if k == n_ticks else "middle"
        out.append(
            f'<text x="{x(t):.1f}" y="{height - 8}" text-anchor="{anchor}" font-size="10" '
            f'fill="#5f6b73">{label}</text>'
        )
    for name, colour, points in series:
        segments, current = [], []
        for t, v in points:
            if v is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(t):.1f},{y(v):.1f}")
        if current:
            segments.append(current)
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                out.append(f'<circle cx="{cx}" cy="{cy}" r="1.8" fill="{colour}"/>')
            else:
                out.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" '
                    f'points="{" ".join(seg)}"><title>{escape(name)}</title></polyline>'
                )
    legend_x = left + 6
    for name, colour, _points in series:
        out.append(f'<rect x="{legend_x}" y="{top + 4}" width="10" height="3" fill="{colour}"/>')
        out.append(
            f'<text x="{legend_x + 14}" y="{top + 9}" font-size="10" '
            f'fill="#1d2327">{escape(name)}</text>'
        )
        legend_x += 14 + 7 * len(name) + 12
    if not values:
        out.append(
            f'<text x="{left + pw / 2}" y="{top + ph / 2}" text-anchor="middle" '
            f'font-size="12" fill="#5f6b73">{escape(_("no data"))}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))
