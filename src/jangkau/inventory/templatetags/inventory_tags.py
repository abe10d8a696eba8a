"""Template helpers of the inventory: a village's infrastructure, site status badges."""

from django import template
from django.utils.html import format_html

from jangkau.inventory import queries
from jangkau.inventory.choices import OPERATOR_COLOURS, SiteStatusChoices

register = template.Library()

#: badge colours of site statuses (on air green, degraded amber, down red, others grey/blue).
SITE_STATUS_COLOURS = {
    SiteStatusChoices.PLANNED: "#78909c",
    SiteStatusChoices.BUILDING: "#0277bd",
    SiteStatusChoices.ON_AIR: "#2e7d32",
    SiteStatusChoices.DEGRADED: "#f9a825",
    SiteStatusChoices.DOWN: "#c62828",
    SiteStatusChoices.DECOMMISSIONED: "#424242",
}


@register.simple_tag
def inventory_for_village(village):
    """``{% inventory_for_village village as inv %}``: its sites, access points, facilities."""
    return queries.inventory_for_village(village)


@register.simple_tag
def site_status_badge(status: str):
    label = SiteStatusChoices(status).label
    return format_html(
        '<span class="status-badge" style="--c:{}" data-site-status="{}">{}</span>',
        SITE_STATUS_COLOURS[status],
        status,
        label,
    )


@register.simple_tag
def operator_swatch(operator: str):
    return format_html(
        '<span class="swatch" style="background:{}"></span>',
        OPERATOR_COLOURS.get(operator, OPERATOR_COLOURS["other"]),
    )
