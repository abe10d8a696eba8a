"""Exports of a plan: CSV, GeoJSON, XLSX, the printable report (HTML) and its PDF.

Every export labels its figures with their quality: people are estimates wherever the
population figure is, and each cost carries the quality of its cost items and whether any of
them is an assumption. The report is rendered in Bahasa Indonesia unless another language is
asked for, and printed to PDF by headless Chromium (no other dependency) when it is installed.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jangkau.planning import explain
from jangkau.planning.choices import KIND_COLOURS, PlanOutcomeChoices, year_colour
from jangkau.planning.models import PlanResult
from jangkau.planning.presenters import result_context, village_rows

#: where Debian installs Chromium; ``settings.JANGKAU_CHROMIUM`` overrides it when set.
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")
#: seconds headless Chromium may take to print a report.
PDF_TIMEOUT_S = 180

CSV_COLUMNS = (
    "village_code",
    "village",
    "kecamatan_code",
    "kecamatan",
    "status",
    "status_weighted_as",
    "remoteness_class",
    "people_unserved",
    "outcome",
    "year",
    "intervention",
    "option_id",
    "backhaul",
    "fiber_route_km",
    "line_of_sight",
    "people_served",
    "people_quality",
    "capex_share_idr",
    "opex_share_idr_per_year",
    "cost_per_person_idr",
    "cost_quality",
    "cost_includes_assumption",
    "explanation",
)


def filename(result: PlanResult, extension: str) -> str:
    return f"rencana-{result.scenario_id}-{result.pk}.{extension}"


def _row_values(row: dict) -> list:
    item, village = row["item"], row["village"]
    return [
        village.code,
        village.name,
        village.district.code,
        village.district.name,
        item.status,
        item.status_weighted_as,
        item.remoteness_class,
        item.people_unserved,
        item.reason,
        item.year or "",
        item.kind,
        item.option_id,
        item.backhaul_kind,
        "" if item.fiber_km is None else round(item.fiber_km, 1),
        item.los_check,
        item.people_served,
        item.population_quality,
        round(item.capex),
        round(item.opex_per_year),
        "" if item.cost_per_person is None else round(item.cost_per_person),
        item.cost_quality,
        "true" if item.cost_is_assumption else "false",
        row["text"],
    ]


def csv_text(result: PlanResult) -> str:
    """One row per village (codes and machine values; the explanation in the active language)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in village_rows(result):
        writer.writerow(_row_values(row))
    return buffer.getvalue()


def geojson(result: PlanResult) -> dict:
    """Villages in the plan (polygons), new and upgraded sites (points), fiber/microwave lines."""
    first = result.years[0] if result.years else 0
    features = []
    for row in village_rows(result):
        item, village = row["item"], row["village"]
        if item.reason != PlanOutcomeChoices.SERVED:
            continue
        features.append(
            {
                "type": "Feature",
                "id": village.code,
                "geometry": village.boundary_display or village.boundary,
                "properties": {
                    "feature": "village",
                    "code": village.code,
                    "name": village.name,
                    "kecamatan": village.district.name,
                    "year": item.year,
                    "kind": item.kind,
                    "kind_label": row["kind_label"],
                    "backhaul": item.backhaul_kind,
                    "people_served": item.people_served,
                    "people_quality": item.population_quality,
                    "cost_per_person": item.cost_per_person,
                    "cost_quality": item.cost_quality,
                    "cost_is_assumption": item.cost_is_assumption,
                    "colour": year_colour(item.year, first),
                    "kind_colour": KIND_COLOURS.get(item.kind, "#333"),
                    "explanation": row["text"],
                },
            }
        )
    for built in result.built_items:
        if built.get("type") == "access" and built.get("lat") is not None:
            features.append(
                {
                    "type": "Feature",
                    "id": built["id"],
                    "geometry": {"type": "Point", "coordinates": [built["lon"], built["lat"]]},
                    "properties": {
                        "feature": "site",
                        "id": built["id"],
                        "kind": built["kind"],
                        "kind_label": explain.kind_label(built["kind"], built.get("orbit", "")),
                        "label": built.get("label", ""),
                        "year": built["year"],
                        "villages": built.get("villages", []),
                        "capex": built["capex"],
                        "cost_quality": built.get("cost_quality", ""),
                        "colour": year_colour(built["year"], first),
                        "kind_colour": KIND_COLOURS.get(built["kind"], "#333"),
                    },
                }
            )
        elif built.get("type") == "backhaul" and built.get("node_lat") is not None:
            features.append(
                {
                    "type": "Feature",
                    "id": built["id"],
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [
                            [built["node_lon"], built["node_lat"]],
                            [built["site_lon"], built["site_lat"]],
                        ],
                    },
                    "properties": {
                        "feature": "backhaul",
                        "id": built["id"],
                        "kind": built["kind"],
                        "year": built["year"],
                        "length_km": built.get("length_km"),
                        "line_of_sight": built.get("los", ""),
                        "node": built.get("node_label", ""),
                        "colour": year_colour(built["year"], first),
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "properties": {
            "result": result.pk,
            "scenario": result.scenario.name,
            "status": result.status,
            "cost_table_version": result.cost_table.version,
            "quality": result.quality,
        },
        "features": features,
    }


def xlsx_bytes(result: PlanResult) -> bytes:
    """The plan as a workbook: summary, villages, years, kecamatan, cost curve, costs."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = result_context(result, with_svg=False)
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list, rows: list, first: bool = False):
        ws = book.active if first else book.create_sheet()
        ws.title = title[:31]
        ws.append([str(h) for h in header])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        return ws

    estimated = explain.quality_label("estimated")
    summary = [
        [_("Scenario"), result.scenario.name],
        [_("Result"), result.pk],
        [_("Status"), result.get_status_display()],
        [_("Gap"), result.gap],
        [_("Cost table version"), result.cost_table.version],
        [_("People newly served") + f" ({estimated})", result.people_served],
        [_("Total spend (IDR)") + f" ({estimated})", round(result.total_spend)],
        [_("Total budget (IDR)"), round(result.total_budget)],
        [_("Cost per person (IDR)") + f" ({estimated})", result.cost_per_person],
        [_("Computed"), timezone.localtime(result.created).strftime("%Y-%m-%d %H:%M")],
    ]
    summary += [[_("Note"), text] for text in context["notes"]]
    summary += [[d["title"], d.get("message", "")] for d in context["diagnostics"]]
    sheet(_("Summary"), [_("What"), _("Value")], summary, first=True)
    sheet(_("Villages"), list(CSV_COLUMNS), [_row_values(r) for r in context["village_rows"]])
    sheet(
        _("Per year"),
        [
            _("Year"),
            _("People newly served (estimated)"),
            _("Villages"),
            _("Capex (IDR)"),
            _("Opex (IDR)"),
            _("Spend (IDR)"),
            _("Budget (IDR)"),
            _("Available with carry-forward (IDR)"),
        ],
        [
            [
                r["year"],
                r["people"],
                r["villages"],
                round(r["capex"]),
                round(r["opex"]),
                round(r["spend"]),
                round(r["budget"]),
                round(r["available"]),
            ]
            for r in context["year_rows"]
        ],
    )
    sheet(
        _("Per kecamatan"),
        [
            _("Code"),
            _("Kecamatan"),
            _("Villages"),
            _("Villages in the plan"),
            _("People unserved (estimated)"),
            _("People served (estimated)"),
            _("Share served"),
            _("Cost over the plan (IDR)"),
        ],
        [
            [
                r["code"],
                r["name"],
                r["villages"],
                r["villages_served"],
                r["unserved"],
                r["served"],
                None if r["share"] is None else round(r["share"], 4),
                round(r["cost"]),
            ]
            for r in context["kecamatan_rows"]
        ],
    )
    sheet(
        _("Cost curve"),
        [_("Budget multiplier"), _("Total budget (IDR)"), _("People served"), _("Status")],
        [[p["scale"], round(p["budget"]), p["people"], p["status"]] for p in context["curve"]],
    )
    sheet(
        _("Costs and sources"),
        [
            _("Item"),
            _("Unit"),
            _("Capex (IDR)"),
            _("Opex per year (IDR)"),
            _("Quality"),
            _("Assumption"),
            _("Source"),
            _("Reference"),
            _("Notes"),
        ],
        [
            [
                c.item,
                c.unit,
                int(c.capex_idr),
                int(c.opex_idr_per_year),
                explain.quality_label(c.quality),
                _("yes") if c.is_assumption else _("no"),
                c.source,
                c.source_url,
                c.notes,
            ]
            for c in context["cost_items"]
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_report(result: PlanResult, language: str = "id") -> str:
    """The printable report as one self-contained HTML page (inline CSS and SVG)."""
    with translation.override(language):
        context = result_context(result)
        context["language"] = language
        context["printed"] = timezone.localtime()
        from jangkau.regions.models import Regency

        context["regency"] = Regency.objects.first()
        return render_to_string("planning/report.html", context)


def chromium_path() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    configured = getattr(settings, "JANGKAU_CHROMIUM", "")
    for candidate in ([configured] if configured else []) + list(CHROMIUM_CANDIDATES):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def reports_dir() -> Path:
    return Path(settings.DATA_DIR) / "planning" / "reports"


def write_report_pdf(result: PlanResult) -> str:
    """Print the Indonesian report to PDF with headless Chromium; return the path in DATA_DIR.

    Raises ``RuntimeError`` when Chromium is missing or fails.
    """
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("Chromium is not installed: print the HTML report from a browser")
    html = render_report(result, "id")
    target = reports_dir() / f"rencana-{result.scenario_id}-{result.pk}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jangkau-pdf-") as work:
        page = Path(work) / "report.html"
        page.write_text(html, encoding="utf-8")
        partial = Path(work) / "report.pdf"
        command = [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={partial}",
            page.as_uri(),
        ]
        completed = subprocess.run(  # fixed arguments, no shell
            command, capture_output=True, timeout=PDF_TIMEOUT_S, check=False
        )
        if completed.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
            tail = completed.stderr.decode("utf-8", "replace")[-400:]
            raise RuntimeError(f"Chromium could not print the report: {tail}")
        shutil.move(str(partial), target)
    return str(target.relative_to(Path(settings.DATA_DIR)))
