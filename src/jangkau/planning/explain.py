"""Words for plans: explanations per village, notes, diagnostics, money and assumptions.

Everything is built at display time with gettext from the stored records, so the same plan
reads in Bahasa Indonesia in the report and in English for an English-speaking user.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jangkau.core.choices import QualityChoices
from jangkau.evidence.choices import ConnectivityStatusChoices
from jangkau.planning import assumptions as A
from jangkau.planning.choices import InterventionKindChoices, LosCheckChoices
from jangkau.regions.choices import RemotenessClassChoices


def number(value, decimals: int = 0) -> str:
    """A number with the active language's separators (1.234,5 in Indonesian)."""
    if value is None:
        return "–"
    return formats.number_format(round(float(value), decimals), decimals, force_grouping=True)


def rupiah(value) -> str:
    """Money in words of the active language: "Rp 2,6 miliar", "Rp 312 juta", "Rp 84.500"."""
    if value is None:
        return "–"
    amount = float(value)
    size = abs(amount)
    if size >= 1e12:
        return _("Rp %(n)s trillion") % {"n": number(amount / 1e12, 2)}
    if size >= 1e9:
        return _("Rp %(n)s billion") % {"n": number(amount / 1e9, 2 if size < 1e10 else 1)}
    if size >= 1e6:
        return _("Rp %(n)s million") % {"n": number(amount / 1e6, 1)}
    return "Rp " + number(amount)


def status_label(code: str) -> str:
    try:
        return str(ConnectivityStatusChoices(code).label)
    except ValueError:
        return code


def quality_label(code: str) -> str:
    try:
        return str(QualityChoices(code).label)
    except ValueError:
        return code


def remoteness_label(value: int | None) -> str:
    try:
        return str(RemotenessClassChoices(value).label)
    except ValueError:
        return "–"


def kind_label(kind: str, orbit: str = "") -> str:
    if kind == InterventionKindChoices.SATELLITE_TERMINAL and orbit:
        return _("satellite terminal (%(orbit)s)") % {"orbit": orbit.upper()}
    try:
        return str(InterventionKindChoices(kind).label)
    except ValueError:
        return kind


def backhaul_phrase(backhaul: dict | None, fiber: dict | None, fiber_data: bool) -> str:
    """How a new tower is connected, with the fiber distance for context."""
    if not backhaul:
        return ""
    kind = backhaul.get("kind")
    if kind == "fiber":
        return _("fiber extension of %(route)s km from %(node)s") % {
            "route": number(backhaul.get("length_km"), 1),
            "node": backhaul.get("node_label", ""),
        }
    if kind == "microwave":
        los = backhaul.get("los") or LosCheckChoices.NOT_CHECKED
        return _("microwave hop of %(km)s km to %(node)s (%(los)s)") % {
            "km": number(backhaul.get("length_km"), 1),
            "node": backhaul.get("node_label", ""),
            "los": LosCheckChoices(los).label,
        }
    text = _("satellite backhaul")
    if fiber:
        text += "; " + _("nearest fiber node %(km)s km away (route about %(route)s km)") % {
            "km": number(fiber.get("straight_km"), 1),
            "route": number(fiber.get("length_km"), 1),
        }
    elif not fiber_data:
        text += "; " + _("no fiber data")
    return text


def option_phrase(option: dict | None) -> str:
    """What an access option is, in words."""
    if not option:
        return ""
    kind = option.get("kind", "")
    if kind == InterventionKindChoices.NEW_4G_SITE:
        if option.get("id", "").startswith("proposed:"):
            return _("new 4G tower at the proposed site %(name)s") % {"name": option.get("label")}
        return _("new 4G tower in %(name)s") % {"name": option.get("label")}
    if kind == InterventionKindChoices.UPGRADE_SITE:
        return _("upgrade of tower %(name)s to 4G") % {"name": option.get("label")}
    if kind == InterventionKindChoices.REPEATER:
        return _("4G repeater for one hamlet of %(name)s") % {"name": option.get("label")}
    return _("%(kind)s with public Wi-Fi in %(name)s") % {
        "kind": kind_label(kind, option.get("orbit", "")),
        "name": option.get("label"),
    }


def _weights_phrase(item) -> str:
    weights = (item.explanation.get("core") or {}).get("weights") or {}
    if not weights:
        return ""
    text = _("priority: status %(status)s ×%(sw)s, %(remote)s ×%(rw)s") % {
        "status": status_label(item.status_weighted_as),
        "sw": number(weights.get("status"), 2),
        "remote": remoteness_label(item.remoteness_class),
        "rw": number(weights.get("remoteness"), 2),
    }
    if weights.get("facility_bonus"):
        text += ", " + _("facility bonus %(bonus)s people-equivalents") % {
            "bonus": number(weights["facility_bonus"])
        }
    return text


def village_explanation(item, names: dict[str, str] | None = None) -> str:
    """Why a village got what it got, as one paragraph in the active language.

    ``item`` is a :class:`~jangkau.planning.models.PlanItem`; ``names`` maps village codes to
    names (for the villages an option is shared with).
    """
    record = item.explanation.get("core") or {}
    meta = item.explanation.get("meta") or {}
    names = names or {}
    reason = record.get("reason", item.reason)
    parts: list[str] = []
    if reason == "served":
        parts.append(
            _("%(year)s: %(option)s")
            % {"year": item.year, "option": option_phrase(meta.get("option"))}
        )
        backhaul = backhaul_phrase(meta.get("backhaul"), meta.get("fiber"), meta.get("fiber_data"))
        if backhaul:
            parts.append(backhaul)
        parts.append(
            _("serves %(people)s people here (estimated) at %(cost)s per person over the plan")
            % {"people": number(item.people_served), "cost": rupiah(item.cost_per_person)}
        )
        shared = record.get("shared_with") or []
        if shared:
            parts.append(
                _("the same option also serves %(villages)s")
                % {"villages": ", ".join(names.get(c, c) for c in shared)}
            )
        if record.get("forced"):
            parts.append(_("forced by the scenario"))
        alternatives = record.get("alternatives") or 0
        if alternatives:
            parts.append(_("%(n)s other option(s) could reach it") % {"n": alternatives})
    elif reason == "not_selected":
        best = meta.get("best_option")
        parts.append(
            _(
                "Not in the plan: within the budgets, other villages gave more weighted people "
                "per rupiah"
            )
        )
        if best:
            parts.append(
                _("cheapest option here: %(option)s at %(cost)s per person")
                % {
                    "option": option_phrase(best),
                    "cost": rupiah(record.get("best_option_cost_per_person")),
                }
            )
    elif reason == "no_usable_option":
        reasons = {
            "forbidden": _("forbidden by the scenario"),
            "no_usable_backhaul": _("no usable backhaul"),
            "over_budget": _("costs more than the money one item can get"),
        }
        blocked = record.get("blocked_options") or {}
        why = sorted({str(reasons.get(r, r)) for r in blocked.values() if r})
        parts.append(_("No usable option: %(why)s") % {"why": "; ".join(why) or "–"})
    elif reason == "no_option":
        parts.append(_("No option reaches this village"))
    elif reason == "nothing_to_serve":
        if item.status == ConnectivityStatusChoices.GOOD_4G:
            parts.append(_("Nothing to do: the village already has good 4G"))
        elif not item.population_quality:
            parts.append(_("Nothing to do: the village has no population figure"))
        else:
            parts.append(_("Nothing to do: no unserved people"))
    else:
        parts.append(_("No plan: the scenario cannot be met (see the messages)"))
    weights = _weights_phrase(item) if reason in ("served", "not_selected") else ""
    if weights:
        parts.append(weights)
    return "; ".join(parts) + "."


# ---- notes and diagnostics -------------------------------------------------------------------

_WHY_NOT_CHECKED = {
    "no_radio": gettext_lazy("the coverage app (and its terrain) is not installed"),
    "no_terrain": gettext_lazy("no terrain (DEM) is active"),
}


def note_text(note: dict) -> str:
    """One sentence for a builder note ``{"code", "params"}``."""
    code = note.get("code")
    p = dict(note.get("params") or {})
    if code == "unknown_status":
        return _(
            "%(count)s villages have no evidence of their status (unknown); they are weighed as "
            "“%(status)s”."
        ) % {"count": p.get("count"), "status": status_label(p.get("weighted_as", ""))}
    if code == "good_4g":
        return _("%(count)s villages already have good 4G: nothing to plan there.") % p
    if code == "no_population":
        return _("%(count)s villages have no population figure: counted with 0 people.") % p
    if code == "no_remoteness_class":
        return _("%(count)s villages have no remoteness class: weighed as central.") % p
    if code == "no_inventory":
        return _(
            "The inventory app is not installed: no existing towers to upgrade, no fiber or "
            "microwave nodes and no facilities; new towers get satellite backhaul only."
        )
    if code == "no_facility_data":
        return _("The inventory holds no facilities: no facility bonus is applied.")
    if code == "no_fiber_data":
        return _(
            "No fiber is recorded in the inventory: fiber extensions are not priced, only "
            "microwave and satellite backhaul."
        )
    if code == "no_microwave_donor":
        return _("No fiber node or microwave site is recorded: no microwave hop is offered.")
    if code == "los_not_checked":
        reason = str(p.get("reason", ""))
        if reason.startswith("coarse:"):
            why = _("the active terrain %(name)s is too coarse") % {"name": reason[7:]}
        else:
            why = str(_WHY_NOT_CHECKED.get(reason, reason))
        return _("Microwave line of sight is not checked: %(why)s.") % {"why": why}
    if code == "los_blocked":
        return (
            _(
                "%(count)s microwave hops are blocked by the terrain (first Fresnel zone) and "
                "cannot be chosen."
            )
            % p
        )
    if code == "microwave_too_long":
        return _(
            "%(count)s towers are more than %(max_km)s km from any node: no microwave hop is "
            "offered for them."
        ) % {"count": p.get("count"), "max_km": number(p.get("max_km"))}
    if code == "no_radio":
        return _(
            "The coverage app is not installed: new towers serve only their own village and no "
            "proposed sites are considered."
        )
    if code == "no_coverage_run":
        return _(
            "No finished coverage run includes the proposed sites: each proposed site serves "
            "only its own village."
        )
    if code == "proposed_stale":
        return _(
            "Proposed sites moved since the last coverage run (%(sites)s): they serve only "
            "their own village."
        ) % {"sites": ", ".join(str(s) for s in p.get("sites", []))}
    if code == "no_upgradable_sites":
        return _("No 2G/3G-only tower is on air in the inventory: no upgrade options.")
    if code == "no_repeater_donor":
        return _(
            "No village has a donor signal (weak 4G, or a 4G tower within %(km)s km): no "
            "repeater options."
        ) % {"km": number(p.get("km"))}
    if code == "missing_cost_item":
        return _("The cost table has no item %(items)s: those options are left out.") % {
            "items": " / ".join(p.get("items", []))
        }
    if code == "geo_not_priced":
        return (
            _("The cost table has no item “%(item)s”: only LEO satellite terminals are offered.")
            % p
        )
    if code == "items_without_people":
        return _(
            "%(count)s item(s) are built without adding people (%(items)s): the solver's "
            "cost stage did not finish; they could be dropped."
        ) % {"count": p.get("count"), "items": ", ".join(p.get("items", []))}
    return str(code)


_DIAGNOSIS_TITLES = {
    "forced_and_forbidden": gettext_lazy("An item is both forced and forbidden."),
    "forced_without_line_of_sight": gettext_lazy("A forced microwave hop has no line of sight."),
    "forced_without_backhaul": gettext_lazy("A forced tower has no usable backhaul."),
    "forced_two_backhauls": gettext_lazy("Two backhauls are forced for one tower."),
    "forced_years_differ": gettext_lazy("A tower and its backhaul are forced in different years."),
    "forced_backhaul_of_forbidden_site": gettext_lazy(
        "A backhaul is forced for a forbidden tower."
    ),
    "forced_over_budget": gettext_lazy("The forced items cost more than the budget."),
    "equity_floor_unreachable": gettext_lazy(
        "The equity floor cannot be reached: too few people can be served in a kecamatan."
    ),
    "equity_floor_over_budget": gettext_lazy(
        "The equity floor costs more than the budgets allow by its year."
    ),
    "conflict": gettext_lazy("These requirements cannot all be met within the yearly budgets."),
    "nothing_to_plan": gettext_lazy("No option serves anyone: there is nothing to plan."),
    "no_usable_backhaul": gettext_lazy(
        "Some new towers have no usable backhaul and are never built."
    ),
    "no_solution": gettext_lazy("The solver stopped before finding any plan."),
    "invalid": gettext_lazy("The scenario cannot be planned."),
}


def diagnosis_title(code: str) -> str:
    return str(_DIAGNOSIS_TITLES.get(code, code))


# ---- assumptions and weights shown with every result -----------------------------------------


def assumption_rows() -> list[tuple[str, str]]:
    """(what, value) of the builder's assumptions, for result pages and the report."""
    return [
        (_("Fiber route length = straight distance ×"), number(A.FIBER_DETOUR_FACTOR, 1)),
        (_("An upgraded tower serves village centres within"), f"{number(A.UPGRADE_RADIUS_KM)} km"),
        (_("A repeater needs a 4G donor within"), f"{number(A.REPEATER_DONOR_KM)} km"),
        (_("People served by one repeater (at most)"), number(A.REPEATER_PEOPLE)),
        (
            _("People served by one satellite terminal (at most)"),
            number(A.SATELLITE_TERMINAL_PEOPLE),
        ),
        (_("Longest microwave hop"), f"{number(A.MICROWAVE_MAX_HOP_KM)} km"),
        (
            _("Microwave line of sight: frequency, mast height, k, Fresnel clearance"),
            f"{number(A.MICROWAVE_FREQ_MHZ)} MHz, {number(A.MICROWAVE_ANTENNA_HEIGHT_M)} m, "
            f"{number(A.MICROWAVE_K_FACTOR, 2)}, {number(A.MICROWAVE_FRESNEL_CLEARANCE * 100)} %",
        ),
    ]


def weight_rows(inputs: dict) -> list[tuple[str, str, str]]:
    """(what, used, core default) of the policy weights of a run."""
    from jangkau.planning.models.scenarios import (
        default_facility_bonus,
        default_remoteness_weights,
        default_status_weights,
    )

    rows = []
    for code, value in (inputs.get("status_weights") or {}).items():
        rows.append(
            (
                _("status: %(status)s") % {"status": status_label(code)},
                number(value, 2),
                number(default_status_weights().get(code), 2),
            )
        )
    for cls, value in sorted((inputs.get("remoteness_weights") or {}).items()):
        rows.append(
            (
                _("remoteness: %(label)s") % {"label": remoteness_label(int(cls))},
                number(value, 2),
                number(default_remoteness_weights().get(cls), 2),
            )
        )
    labels = {
        "kantor_desa": _("village office"),
        "school": _("school"),
        "puskesmas": _("puskesmas"),
    }
    for kind, value in (inputs.get("facility_bonus") or {}).items():
        rows.append(
            (
                _("bonus per unconnected %(facility)s") % {"facility": labels.get(kind, kind)},
                number(value),
                number(default_facility_bonus().get(kind)),
            )
        )
    return rows
