"""Template tags of the monitoring app: the village stability card and number formatting."""

from django import template
from django.utils.formats import number_format

from jangkau.monitoring.stability import village_stability_context

register = template.Library()


@register.inclusion_tag("monitoring/_village_stability.html")
def village_stability(village):
    """``{% village_stability village %}``: the gate card with the numbers behind it."""
    return village_stability_context(village)


@register.filter
def pct(value, digits=2):
    """A percentage with ``digits`` decimals in the active language's format, or an en dash."""
    if value is None:
        return "–"
    return f"{number_format(float(value), int(digits))} %"


@register.filter
def ms(value):
    """Milliseconds without decimals, or an en dash."""
    if value is None:
        return "–"
    return f"{number_format(float(value), 0)} ms"


@register.filter
def duration(seconds):
    """Seconds as "2 h 5 min", "3 d 4 h", "45 s"."""
    if seconds is None:
        return "–"
    s = int(round(float(seconds)))
    if s < 60:
        return f"{s} s"
    minutes, _sec = divmod(s, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"
