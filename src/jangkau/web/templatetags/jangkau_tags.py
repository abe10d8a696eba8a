"""Template helpers: quality badges, status labels, number formatting."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from jangkau.core.choices import QualityChoices
from jangkau.evidence.choices import STATUS_COLOURS, ConnectivityStatusChoices

register = template.Library()


@register.simple_tag
def quality_badge(quality: str):
    """A visible word saying how a figure is known ("estimasi", "resmi", ...)."""
    if not quality:
        return ""
    label = QualityChoices(quality).label
    return format_html(
        '<span class="quality quality-{}" title="{}">{}</span>',
        quality,
        _("how this figure is known"),
        label,
    )


@register.simple_tag
def status_badge(status: str):
    status = status or ConnectivityStatusChoices.UNKNOWN
    label = ConnectivityStatusChoices(status).label
    return format_html(
        '<span class="status-badge" style="--c:{}" data-status="{}">{}</span>',
        STATUS_COLOURS[status],
        status,
        label,
    )


@register.filter
def thousands(value):
    """1234567 -> 1.234.567 (Indonesian) or 1,234,567 (English), by the active language."""
    from django.utils.translation import get_language

    if value is None or value == "":
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    text = f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"
    if (get_language() or "id").startswith("id"):
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
