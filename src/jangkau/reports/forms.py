"""The citizen report form (also the validator of the API's payload) and the moderation form."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jangkau.evidence.choices import OperatorChoices
from jangkau.regions.models import Village
from jangkau.reports.choices import DecisionChoices, LocationMethodChoices, ServiceAnswerChoices
from jangkau.reports.limits import MAX_LATENCY_MS, MAX_MBPS, MAX_NOTE_CHARS, MAX_REASON_CHARS
from jangkau.reports.locate import OutsideRegency, village_at

#: name of the honeypot field: a plausible field that people never see and bots fill in.
HONEYPOT_FIELD = "website"


class DecimalField(forms.FloatField):
    """A float typed with a decimal point or, as in Indonesian, a decimal comma (``12,5``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


def _operator_choices() -> list[tuple[str, str]]:
    """The operators, with "any operator" offered as "I don't know" to a reporter."""
    return [(OperatorChoices.ANY.value, _("I don't know"))] + [
        (c.value, c.label) for c in OperatorChoices if c != OperatorChoices.ANY
    ]


def _latitude_field() -> DecimalField:
    return DecimalField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        help_text=_("In degrees, e.g. 0.94458 (north of the equator is positive)."),
    )


def _longitude_field() -> DecimalField:
    return DecimalField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        help_text=_("In degrees, e.g. 118.78262."),
    )


class LocatesVillage:
    """Form mixin: after ``is_valid()``, ``self.village`` is the village at the point.

    A point outside the regency is a form error (not tied to a field) saying so.
    """

    village = None

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is not None and longitude is not None:
            try:
                self.village = village_at(latitude, longitude)
            except OutsideRegency as exc:
                self.add_error(None, str(exc))
        return cleaned


class LocationForm(LocatesVillage, forms.Form):
    """Only the location: the lookup that shows the village before the report is sent."""

    latitude = _latitude_field()
    longitude = _longitude_field()


class CitizenReportForm(LocatesVillage, forms.Form):
    """What a reporter sends. Also validates the API's payload, so both apply the same rules."""

    latitude = _latitude_field()
    longitude = _longitude_field()
    location_method = forms.ChoiceField(
        choices=LocationMethodChoices.choices,
        required=False,
        widget=forms.HiddenInput,
    )
    operator = forms.ChoiceField(
        label=_("Your mobile operator (SIM card)"), choices=_operator_choices, required=False
    )
    answer = forms.ChoiceField(
        label=_("What works here?"),
        choices=ServiceAnswerChoices.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what works here.")},
    )
    download_mbps = DecimalField(
        label=_("Download (Mbit/s)"), required=False, min_value=0, max_value=MAX_MBPS
    )
    upload_mbps = DecimalField(
        label=_("Upload (Mbit/s)"), required=False, min_value=0, max_value=MAX_MBPS
    )
    latency_ms = DecimalField(
        label=_("Latency / ping (ms)"), required=False, min_value=0, max_value=MAX_LATENCY_MS
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, at most 500 characters. Do not write names or phone numbers."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_location_method(self) -> str:
        return self.cleaned_data.get("location_method") or LocationMethodChoices.TYPED

    @property
    def is_trap(self) -> bool:
        """Whether the honeypot was filled in (call after ``is_valid()``)."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))


class DecisionForm(forms.Form):
    """A moderator's decision on one report; a rejection needs a reason."""

    decision = forms.ChoiceField(choices=DecisionChoices.choices)
    reason = forms.CharField(required=False, max_length=MAX_REASON_CHARS, strip=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == DecisionChoices.REJECT and not cleaned.get("reason"):
            self.add_error("reason", _("Say why the report is rejected."))
        return cleaned


class VillageCorrectionForm(forms.Form):
    """A moderator moves a report to another village of the regency: its code and why."""

    village = forms.CharField(label=_("Village code"), max_length=20, strip=True)
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON_CHARS, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _(
            "Say why the report belongs to another village."
        )

    def clean_village(self) -> Village:
        code = self.cleaned_data["village"]
        village = (
            Village.objects.select_related("district")
            .filter(code=code, district__regency__code=settings.JANGKAU_REGENCY_CODE)
            .first()
        )
        if village is None:
            raise forms.ValidationError(
                _("There is no village with code %(code)s in this regency."),
                params={"code": code},
                code="unknown_village",
            )
        return village
