"""Forms of the coverage pages: start a run, propose a site."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jangkau.radio.choices import (
    EirpConventionChoices,
    EnvironmentChoices,
    PropagationModelChoices,
)
from jangkau.radio.engine import RunOptions
from jangkau.radio.models import ProposedSite, Terrain
from jangkau.radio.models.proposed import validate_sectors

#: LTE channel bandwidths (MHz) and their resource blocks (TS 36.101 Table 5.6-1).
N_RB_CHOICES = [
    (6, "1.4 MHz"),
    (15, "3 MHz"),
    (25, "5 MHz"),
    (50, "10 MHz"),
    (75, "15 MHz"),
    (100, "20 MHz"),
]


class RunForm(forms.Form):
    """The parameters of a coverage run; every one is shown and stored with the run."""

    model = forms.ChoiceField(label=_("Propagation model"), choices=PropagationModelChoices.choices)
    resolution_m = forms.FloatField(
        label=_("Resolution (m)"),
        min_value=50,
        max_value=5000,
        help_text=_("250 m covers the whole regency in seconds."),
    )
    terrain = forms.ModelChoiceField(
        label=_("Terrain"),
        queryset=Terrain.objects.all(),
        required=False,
        empty_label=_("none (flat earth)"),
    )
    environment = forms.ChoiceField(
        label=_("Environment (Hata)"), choices=EnvironmentChoices.choices
    )
    good_dbm = forms.FloatField(label=_("Good service from (dBm)"), min_value=-140, max_value=-40)
    weak_dbm = forms.FloatField(label=_("Weak service from (dBm)"), min_value=-140, max_value=-40)
    eirp_convention = forms.ChoiceField(
        label=_("Site EIRP is"), choices=EirpConventionChoices.choices
    )
    n_rb = forms.TypedChoiceField(
        label=_("LTE carrier bandwidth"), choices=N_RB_CHOICES, coerce=int
    )
    max_radius_km = forms.FloatField(label=_("Largest reach (km)"), min_value=1, max_value=100)
    include_proposed = forms.BooleanField(
        label=_("Include proposed sites (a plan: publishes no evidence)"), required=False
    )

    @classmethod
    def with_defaults(cls, data=None) -> RunForm:
        d = RunOptions.defaults()
        initial = {
            "model": d.model,
            "resolution_m": d.resolution_m,
            "terrain": d.terrain_id,
            "environment": d.environment,
            "good_dbm": d.good_dbm,
            "weak_dbm": d.weak_dbm,
            "eirp_convention": d.eirp_convention,
            "n_rb": d.n_rb,
            "max_radius_km": d.max_radius_m / 1000.0,
            "include_proposed": False,
        }
        if data is not None:
            # A partial POST (e.g. the one-button form) takes the defaults for the rest.
            merged = {k: v for k, v in initial.items() if v is not None}
            merged.update({k: v for k, v in data.items() if k in cls.base_fields})
            if "include_proposed" not in data:
                merged.pop("include_proposed", None)
            return cls(merged)
        return cls(initial=initial)

    def clean(self):
        cleaned = super().clean()
        good, weak = cleaned.get("good_dbm"), cleaned.get("weak_dbm")
        if good is not None and weak is not None and good <= weak:
            self.add_error("good_dbm", _("The good threshold must be above the weak one."))
        return cleaned

    def to_options(self) -> RunOptions:
        c = self.cleaned_data
        return RunOptions(
            model=c["model"],
            resolution_m=float(c["resolution_m"]),
            terrain_id=c["terrain"].pk if c.get("terrain") else None,
            environment=c["environment"],
            good_dbm=float(c["good_dbm"]),
            weak_dbm=float(c["weak_dbm"]),
            eirp_convention=c["eirp_convention"],
            n_rb=int(c["n_rb"]),
            max_radius_m=float(c["max_radius_km"]) * 1000.0,
            include_proposed=bool(c.get("include_proposed")),
        )


def parse_azimuths(text: str) -> list[float]:
    """``"0, 120, 240"`` → ``[0.0, 120.0, 240.0]``; empty → ``[]`` (omnidirectional)."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    try:
        return [float(p) for p in parts]
    except ValueError as exc:
        raise forms.ValidationError(
            _("Give the azimuths as numbers separated by commas, e.g. 0, 120, 240.")
        ) from exc


class ProposedSiteForm(forms.ModelForm):
    """A proposed site: the point (clicked on the map or typed) and its radio figures."""

    sector_azimuths = forms.CharField(
        label=_("Sector azimuths (°)"),
        required=False,
        help_text=_("E.g. 0, 120, 240 for three sectors; empty for an omnidirectional antenna."),
    )
    beamwidth = forms.FloatField(
        label=_("Sector beamwidth (°)"), initial=65, min_value=1, max_value=360
    )
    downtilt = forms.FloatField(
        label=_("Sector downtilt (°)"), initial=2, min_value=-20, max_value=30
    )

    class Meta:
        model = ProposedSite
        fields = [
            "name",
            "lat",
            "lon",
            "antenna_height_m",
            "freq_mhz",
            "eirp_dbm",
            "operator",
            "notes",
        ]
        widgets = {
            "lat": forms.NumberInput(attrs={"step": "any"}),
            "lon": forms.NumberInput(attrs={"step": "any"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.sectors:
            sectors = self.instance.sectors
            self.initial.setdefault(
                "sector_azimuths", ", ".join(f"{s['azimuth']:g}" for s in sectors)
            )
            self.initial.setdefault("beamwidth", sectors[0].get("beamwidth", 65))
            self.initial.setdefault("downtilt", sectors[0].get("downtilt", 0))

    def clean(self):
        cleaned = super().clean()
        try:
            azimuths = parse_azimuths(cleaned.get("sector_azimuths") or "")
        except forms.ValidationError as exc:
            self.add_error("sector_azimuths", exc)
            return cleaned
        beamwidth = cleaned.get("beamwidth") or 65.0
        downtilt = cleaned.get("downtilt") if cleaned.get("downtilt") is not None else 0.0
        sectors = [
            {"azimuth": a % 360.0, "beamwidth": beamwidth, "downtilt": downtilt} for a in azimuths
        ]
        try:
            validate_sectors(sectors)
        except forms.ValidationError as exc:
            self.add_error("sector_azimuths", exc)
            return cleaned
        self.instance.sectors = sectors
        return cleaned
