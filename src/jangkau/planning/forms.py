"""Forms: a scenario (years, budgets, weights, floors, forced/forbidden items, cost table) and
the cost-table editor, which always saves a new version."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jangkau.core.choices import QualityChoices
from jangkau.planning.costs import ITEM_FIELDS, default_cost_table, save_new_version
from jangkau.planning.models import CostTable, Scenario
from jangkau.planning.models.costs import ASSUMPTION_QUALITIES
from jangkau.regions.choices import RemotenessClassChoices

_ITEM_ID = re.compile(r"^[a-z-]+:[A-Za-z0-9._-]+(/(fiber|microwave|satellite))?$")
_SEPARATORS = re.compile(r"[\n;]+")


def parse_budgets(text: str, n_years: int) -> list[int]:
    """Amounts in rupiah, one per line (or ';'); one amount alone applies to every year.

    Thousands separators (dots, commas, spaces) and a leading "Rp" are ignored: rupiah are
    whole numbers.
    """
    entries = [e.strip() for e in _SEPARATORS.split(text or "") if e.strip()]
    amounts = []
    for entry in entries:
        digits = re.sub(r"(?i)^rp\.?|[\s.,]", "", entry)
        if not digits.isdigit():
            raise ValidationError(
                _("“%(entry)s” is not an amount of rupiah."), params={"entry": entry}
            )
        amounts.append(int(digits))
    if len(amounts) == 1:
        return amounts * n_years
    if len(amounts) != n_years:
        raise ValidationError(
            _("Give one amount for all years, or one per plan year (%(n)s years)."),
            params={"n": n_years},
        )
    return amounts


def parse_forced(text: str) -> dict[str, int | None]:
    """Lines "item-id" (any year) or "item-id year"."""
    forced: dict[str, int | None] = {}
    for line in (text or "").splitlines():
        parts = line.split()
        if not parts:
            continue
        if len(parts) > 2 or not _ITEM_ID.match(parts[0]):
            raise ValidationError(
                _("“%(line)s”: write an item id, optionally followed by a year."),
                params={"line": line.strip()},
            )
        if len(parts) == 2 and not parts[1].isdigit():
            raise ValidationError(
                _("“%(line)s”: the year must be a number."), params={"line": line}
            )
        forced[parts[0]] = int(parts[1]) if len(parts) == 2 else None
    return forced


def parse_forbidden(text: str) -> list[str]:
    items = []
    for entry in re.split(r"[\s,]+", text or ""):
        if not entry:
            continue
        if not _ITEM_ID.match(entry):
            raise ValidationError(_("“%(item)s” is not an item id."), params={"item": entry})
        if entry not in items:
            items.append(entry)
    return items


def parse_percentages(text: str) -> list[float]:
    values = []
    for entry in re.split(r"[\s,;]+", text or ""):
        if not entry:
            continue
        try:
            value = float(entry.rstrip("%"))
        except ValueError as exc:
            raise ValidationError(
                _("“%(entry)s” is not a percentage."), params={"entry": entry}
            ) from exc
        if not 0 < value <= 1000:
            raise ValidationError(_("Percentages of the budget are between 0 and 1000."))
        values.append(round(value / 100, 4))
    return sorted(set(values))


class ScenarioForm(forms.ModelForm):
    """Create or change a scenario; weights, budgets and items are entered as plain fields."""

    budgets_text = forms.CharField(
        label=_("Budget per year (Rp)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One amount for every year, or one amount per line for each year."),
    )
    weight_no_signal = forms.FloatField(label=_("Weight: no signal"), min_value=0.001)
    weight_2g_3g_only = forms.FloatField(label=_("Weight: 2G/3G only"), min_value=0.001)
    weight_4g_weak = forms.FloatField(label=_("Weight: 4G weak"), min_value=0.001)
    remoteness_1 = forms.FloatField(label=RemotenessClassChoices(1).label, min_value=0.001)
    remoteness_2 = forms.FloatField(label=RemotenessClassChoices(2).label, min_value=0.001)
    remoteness_3 = forms.FloatField(label=RemotenessClassChoices(3).label, min_value=0.001)
    remoteness_4 = forms.FloatField(label=RemotenessClassChoices(4).label, min_value=0.001)
    bonus_kantor_desa = forms.FloatField(label=_("Bonus: village office"), min_value=0)
    bonus_school = forms.FloatField(label=_("Bonus: school"), min_value=0)
    bonus_puskesmas = forms.FloatField(label=_("Bonus: puskesmas"), min_value=0)
    floor_percent = forms.FloatField(
        label=_("Equity floor (percent of each kecamatan's unserved people)"),
        required=False,
        min_value=0.01,
        max_value=100,
    )
    forced_text = forms.CharField(
        label=_("Forced items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: an item id (e.g. site:64.08.11.2001) and optionally a year."),
    )
    forbidden_text = forms.CharField(
        label=_("Forbidden items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Item ids separated by spaces or lines."),
    )
    curve_text = forms.CharField(
        label=_("Cost curve (percent of the budget)"),
        required=False,
        help_text=_("Each percentage is a separate solve; 100 is the plan itself."),
    )

    class Meta:
        model = Scenario
        fields = [
            "name",
            "description",
            "year_from",
            "year_to",
            "carry_forward",
            "unknown_status_as",
            "equity_floor_year",
            "cost_table",
            "time_limit_seconds",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost_table"].queryset = CostTable.objects.order_by("-version")
        self.fields["time_limit_seconds"].min_value = 1
        self.fields["time_limit_seconds"].max_value = 3600
        scenario = self.instance
        if scenario.pk is None and not scenario.cost_table_id:
            self.initial.setdefault("cost_table", default_cost_table().pk)
        status = scenario.status_weights
        remote = scenario.remoteness_weights
        bonus = scenario.facility_bonus
        self.initial.setdefault("budgets_text", "\n".join(str(int(b)) for b in scenario.budgets))
        self.initial.setdefault("weight_no_signal", status.get("no_signal"))
        self.initial.setdefault("weight_2g_3g_only", status.get("2g_3g_only"))
        self.initial.setdefault("weight_4g_weak", status.get("4g_weak"))
        for k in (1, 2, 3, 4):
            self.initial.setdefault(f"remoteness_{k}", remote.get(str(k)))
        for kind in ("kantor_desa", "school", "puskesmas"):
            self.initial.setdefault(f"bonus_{kind}", bonus.get(kind))
        if scenario.equity_floor_share is not None:
            self.initial.setdefault("floor_percent", round(scenario.equity_floor_share * 100, 4))
        self.initial.setdefault(
            "forced_text",
            "\n".join(f"{k} {v}" if v is not None else k for k, v in scenario.forced.items()),
        )
        self.initial.setdefault("forbidden_text", "\n".join(scenario.forbidden))
        self.initial.setdefault(
            "curve_text", ", ".join(f"{s * 100:g}" for s in scenario.curve_scales)
        )

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to:
            if year_to < year_from:
                self.add_error("year_to", _("The last year cannot be before the first year."))
            else:
                try:
                    data["budgets"] = parse_budgets(
                        data.get("budgets_text", ""), year_to - year_from + 1
                    )
                except ValidationError as exc:
                    self.add_error("budgets_text", exc)
        for field, parser in (
            ("forced_text", parse_forced),
            ("forbidden_text", parse_forbidden),
            ("curve_text", parse_percentages),
        ):
            try:
                data[field.removesuffix("_text")] = parser(data.get(field, ""))
            except ValidationError as exc:
                self.add_error(field, exc)
        if (data.get("floor_percent") is None) != (data.get("equity_floor_year") is None):
            self.add_error("floor_percent", _("An equity floor needs both a share and a year."))
        return data

    def _post_clean(self):
        data = self.cleaned_data
        scenario = self.instance
        if "budgets" in data:
            scenario.budgets = data["budgets"]
        if "weight_no_signal" in data:
            scenario.status_weights = {
                "no_signal": data["weight_no_signal"],
                "2g_3g_only": data.get("weight_2g_3g_only"),
                "4g_weak": data.get("weight_4g_weak"),
            }
        if all(f"remoteness_{k}" in data for k in (1, 2, 3, 4)):
            scenario.remoteness_weights = {str(k): data[f"remoteness_{k}"] for k in (1, 2, 3, 4)}
        if all(f"bonus_{k}" in data for k in ("kantor_desa", "school", "puskesmas")):
            scenario.facility_bonus = {
                k: data[f"bonus_{k}"] for k in ("kantor_desa", "school", "puskesmas")
            }
        floor = data.get("floor_percent")
        scenario.equity_floor_share = None if floor is None else floor / 100
        if "forced" in data:
            scenario.forced = data["forced"]
        if "forbidden" in data:
            scenario.forbidden = data["forbidden"]
        if "curve" in data:
            scenario.curve_scales = data["curve"]
        super()._post_clean()

    #: model fields entered through another form field.
    MODEL_TO_FORM = {
        "budgets": "budgets_text",
        "status_weights": "weight_no_signal",
        "remoteness_weights": "remoteness_1",
        "facility_bonus": "bonus_kantor_desa",
        "equity_floor_share": "floor_percent",
        "forced": "forced_text",
        "forbidden": "forbidden_text",
        "curve_scales": "curve_text",
    }

    def _update_errors(self, errors):
        """Show the model's errors next to the form fields that enter those values."""
        if not hasattr(errors, "error_dict"):
            return super()._update_errors(errors)
        renamed: dict[str, list] = {}
        for field, messages in errors.error_dict.items():
            target = self.MODEL_TO_FORM.get(field, field)
            if target in self._errors:
                continue  # the form already said what is wrong with this input
            renamed.setdefault(target, []).extend(messages)
        if renamed:
            super()._update_errors(ValidationError(renamed))
        return None


# ---- cost tables -----------------------------------------------------------------------------


class CostItemForm(forms.Form):
    """One item of the table being edited (a blank extra form adds an item)."""

    item = forms.SlugField(label=_("Item"), max_length=60, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    capex_idr = forms.DecimalField(
        label=_("Capex (Rp)"), max_digits=18, decimal_places=0, min_value=0, required=False
    )
    opex_idr_per_year = forms.DecimalField(
        label=_("Opex per year (Rp)"), max_digits=18, decimal_places=0, min_value=0, required=False
    )
    lifetime_years = forms.FloatField(label=_("Lifetime (years)"), min_value=0.1, required=False)
    capacity = forms.CharField(label=_("Capacity"), max_length=200, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    source_url = forms.CharField(label=_("Reference"), required=False)
    quality = forms.ChoiceField(
        label=_("Quality"), choices=[("", "—"), *QualityChoices.choices], required=False
    )
    is_assumption = forms.BooleanField(label=_("Assumption"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 1}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("item"):
            # An existing item keeps its name; only a new (extra) row names one.
            self.fields["item"].disabled = True

    def clean(self):
        data = super().clean()
        if not data.get("item"):
            return data
        for field in ("unit", "capex_idr", "opex_idr_per_year", "source", "source_url", "quality"):
            if data.get(field) in (None, ""):
                self.add_error(field, _("Required for every item."))
        if data.get("is_assumption") and data.get("quality") not in ASSUMPTION_QUALITIES:
            self.add_error(
                "quality",
                _("An assumption is estimated or illustrative, never official or measured."),
            )
        return data


class BaseCostItemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        names = []
        for form in self.forms:
            name = form.cleaned_data.get("item") if hasattr(form, "cleaned_data") else None
            if name:
                if name in names:
                    raise ValidationError(_("Item %(item)s appears twice."), params={"item": name})
                names.append(name)


CostItemFormSet = forms.formset_factory(CostItemForm, formset=BaseCostItemFormSet, extra=1)


class CostTableForm(forms.Form):
    """What the new version is called and why it was made."""

    name = forms.CharField(label=_("Name of the new version"), max_length=200)
    source_notes = forms.CharField(
        label=_("What changed, and the sources"), widget=forms.Textarea(attrs={"rows": 3})
    )
    make_default = forms.BooleanField(label=_("Use for new scenarios"), required=False)


def cost_item_initial(table: CostTable) -> list[dict]:
    return [
        {"item": i.item, **{f: getattr(i, f) for f in ITEM_FIELDS}}
        for i in table.items.order_by("pk")
    ]


def save_cost_edit(base: CostTable, form: CostTableForm, formset, user) -> CostTable:
    """Save the edited table as a new version (the base is never changed)."""
    existing = {i.item: i for i in base.items.all()}
    changes: dict[str, dict] = {}
    new_items = []
    for item_form in formset.forms:
        data = getattr(item_form, "cleaned_data", None) or {}
        name = data.get("item")
        if not name:
            continue
        values = {f: data.get(f) for f in ITEM_FIELDS}
        values["capacity"] = values["capacity"] or ""
        values["notes"] = values["notes"] or ""
        values["is_assumption"] = bool(values["is_assumption"])
        for money in ("capex_idr", "opex_idr_per_year"):
            values[money] = Decimal(values[money])
        if name in existing:
            old = existing[name]
            diff = {f: v for f, v in values.items() if getattr(old, f) != v}
            if diff:
                changes[name] = diff
        else:
            new_items.append({"item": name, **values})
    return save_new_version(
        base,
        changes,
        name=form.cleaned_data["name"],
        source_notes=form.cleaned_data["source_notes"],
        user=user,
        make_default=form.cleaned_data["make_default"],
        new_items=new_items,
    )
