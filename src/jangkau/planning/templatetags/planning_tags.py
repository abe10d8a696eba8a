"""Template helpers of the planning pages: money, numbers, labels and quality words."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from jangkau.planning import explain
from jangkau.planning.choices import KIND_COLOURS, PlanStatusChoices, year_colour

register = template.Library()


@register.filter
def rupiah(value):
    """Rp 2,6 miliar / Rp 2.6 billion."""
    return explain.rupiah(value)


@register.filter
def num(value, decimals=0):
    return explain.number(value, int(decimals))


@register.filter
def percent(value, decimals=0):
    if value is None:
        return "–"
    return f"{explain.number(float(value) * 100, int(decimals))} %"


@register.filter
def status_label(code):
    return explain.status_label(code)


@register.filter
def remoteness_label(value):
    return explain.remoteness_label(value)


@register.filter
def kind_colour(kind):
    return KIND_COLOURS.get(kind, "#333")


@register.simple_tag
def year_swatch(year, first_year):
    return format_html(
        '<span class="swatch" style="background:{}"></span>{}',
        year_colour(year, first_year or 0),
        year or "–",
    )


@register.simple_tag
def assumption_badge(is_assumption):
    """A visible word when a cost rests on an assumption."""
    if not is_assumption:
        return ""
    return format_html('<span class="quality quality-illustrative">{}</span>', _("assumption"))


@register.simple_tag
def plan_status(result):
    """The solve status in words, with the gap when the time limit stopped the solver."""
    if result.status == PlanStatusChoices.TIME_LIMIT and result.gap is not None:
        return format_html(
            '<span class="plan-status plan-status-{}">{} ({}: {})</span>',
            result.status,
            result.get_status_display(),
            _("gap"),
            f"{explain.number(result.gap * 100, 2)} %",
        )
    return format_html(
        '<span class="plan-status plan-status-{}">{}</span>',
        result.status,
        result.get_status_display(),
    )


@register.simple_tag
def stage_text(result):
    """What the lexicographic stages reached, in words."""
    names = {
        "people": _("weighted people served"),
        "people_years": _("serve the neediest first"),
        "cost": _("least spend"),
    }
    states = {
        "optimal": _("proven optimal"),
        "time_limit": _("stopped at the time limit"),
    }
    not_run = _("not run")
    parts = []
    for key in ("people", "people_years", "cost"):
        if key in result.stage_status:
            state = result.stage_status[key]
            parts.append(f"{names[key]}: {states.get(state, state)}")
        elif result.stage_status:
            parts.append(f"{names[key]}: {not_run}")
    return "; ".join(parts)
