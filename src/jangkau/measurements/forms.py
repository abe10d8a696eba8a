"""The upload form of the import page."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pyproj import CRS
from pyproj.exceptions import CRSError

from jangkau.core.importing import REGISTRY, SUFFIXES


def parse_values(text: str) -> dict[str, str]:
    """``NAME=VALUE`` lines (blank lines ignored) as a dict; ValueError naming a bad line."""
    values = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise ValueError(number)
        values[name.strip()] = value.strip()
    return values


class ImportUploadForm(forms.Form):
    """Choose the kind of data and a file; optionally its CRS and values for missing columns."""

    kind = forms.ChoiceField(label=_("Kind of data"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8), GeoJSON, GeoPackage or Parquet"),
    )
    crs = forms.CharField(
        label=_("Coordinate reference system"),
        required=False,
        max_length=100,
        help_text=_("Only when the file does not state it, e.g. EPSG:32650. Default: EPSG:4326."),
    )
    values = forms.CharField(
        label=_("Values for columns the file lacks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One NAME=VALUE per line, used for every row; e.g. period=2024-10-01 and "
            "network=mobile for Ookla tiles."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, REGISTRY[kind].title) for kind in sorted(REGISTRY)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.JANGKAU_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes, above the limit of %(limit)s bytes."),
                params={"size": f"{upload.size:,}", "limit": f"{limit:,}"},
            )
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SUFFIXES:
            raise forms.ValidationError(
                _("Unsupported format '%(suffix)s': use .csv, .geojson, .gpkg or .parquet."),
                params={"suffix": suffix or upload.name},
            )
        return upload

    def clean_crs(self):
        text = self.cleaned_data["crs"].strip()
        if text:
            try:
                CRS.from_user_input(text)
            except CRSError:
                raise forms.ValidationError(
                    _("Unknown CRS '%(crs)s'."), params={"crs": text}
                ) from None
        return text

    def clean_values(self):
        try:
            return parse_values(self.cleaned_data["values"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("Line %(line)s is not NAME=VALUE."), params={"line": exc.args[0]}
            ) from None
