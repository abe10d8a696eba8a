"""Admin for the inventory: every model, with a site's status changed through its history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.inventory.models import (
    AccessPoint,
    Facility,
    Link,
    Sector,
    ServiceStatusChange,
    Site,
    SiteStatusChange,
)

PROVENANCE = (
    _("Provenance"),
    {"fields": ["source", "source_url", "as_of", "as_of_label", "quality"]},
)


class SiteAdminForm(forms.ModelForm):
    """A site form whose status change is dated and noted, and goes through ``set_status``."""

    status_changed_on = forms.DateField(
        label=_("status changed on"),
        required=False,
        help_text=_("When the status changed (today if empty)."),
    )
    status_note = forms.CharField(label=_("status note"), required=False, widget=forms.Textarea)

    class Meta:
        model = Site
        fields = [
            "code",
            "name",
            "operator",
            "operator_name",
            "programme",
            "lat",
            "lon",
            "technologies",
            "bands_mhz",
            "antenna_height_m",
            "omni",
            "eirp_dbm",
            "power_source",
            "backhaul",
            "status",
            "source",
            "source_url",
            "as_of",
            "as_of_label",
            "quality",
            "notes",
        ]

    def clean(self):
        data = super().clean()
        if self.instance.pk and "status" in self.changed_data and "status" in data:
            on_date = data.get("status_changed_on") or timezone.localdate()
            old = Site.objects.get(pk=self.instance.pk)
            try:
                old.check_status_change(data["status"], on_date)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    target = "status_changed_on" if field == "changed_on" else "status"
                    for message in messages:
                        self.add_error(target, message)
        return data


class SectorInline(admin.TabularInline):
    model = Sector
    extra = 0


class SiteStatusChangeInline(admin.TabularInline):
    model = SiteStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_on", "from_status", "to_status", "note", "changed_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ServiceStatusChangeInline(SiteStatusChangeInline):
    model = ServiceStatusChange


class StatusHistoryAdmin(admin.ModelAdmin):
    """Links and access points: a status changed here is recorded, by this user, today."""

    inlines = [ServiceStatusChangeInline]

    def save_model(self, request, obj, form, change):
        obj.status_context(note=str(_("changed in the admin")), user=request.user)
        super().save_model(request, obj, form, change)


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    form = SiteAdminForm
    list_display = ["code", "name", "operator", "status", "village", "programme", "quality"]
    list_filter = ["operator", "status", "programme", "backhaul", "power_source", "quality"]
    search_fields = ["code", "name", "village__name", "village__code"]
    readonly_fields = ["village", "updated"]
    inlines = [SectorInline, SiteStatusChangeInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "operator", "operator_name", "programme"]}),
        (_("Location"), {"fields": ["lat", "lon", "village"]}),
        (
            _("Radio"),
            {
                "fields": [
                    "technologies",
                    "bands_mhz",
                    "antenna_height_m",
                    "omni",
                    "eirp_dbm",
                    "power_source",
                    "backhaul",
                ]
            },
        ),
        (_("Status"), {"fields": ["status", "status_changed_on", "status_note"]}),
        PROVENANCE,
        (None, {"fields": ["notes", "updated"]}),
    ]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            super().save_model(request, obj, form, change)
            obj.start_history(
                data.get("status_changed_on"), data.get("status_note", ""), request.user
            )
            return
        if "status" in form.changed_data:
            new = obj.status
            obj.status = Site.objects.values_list("status", flat=True).get(pk=obj.pk)
            super().save_model(request, obj, form, change)
            obj.set_status(
                new,
                data.get("status_changed_on") or timezone.localdate(),
                data.get("status_note", ""),
                request.user,
            )
            return
        super().save_model(request, obj, form, change)


@admin.register(SiteStatusChange)
class SiteStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["site", "from_status", "to_status", "changed_on", "changed_by"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["site__code", "site__name", "note"]
    readonly_fields = [
        "site",
        "from_status",
        "to_status",
        "changed_on",
        "changed_by",
        "recorded_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Link)
class LinkAdmin(StatusHistoryAdmin):
    list_display = ["code", "name", "kind", "status", "length_km", "capacity_mbps", "provider"]
    list_filter = ["kind", "status", "quality"]
    search_fields = ["code", "name", "provider"]
    raw_id_fields = ["endpoint_a", "endpoint_b"]
    readonly_fields = ["length_km", "updated"]


@admin.register(AccessPoint)
class AccessPointAdmin(StatusHistoryAdmin):
    list_display = ["code", "name", "kind", "provider", "status", "village", "installed_on"]
    list_filter = ["kind", "status", "quality"]
    search_fields = ["code", "name", "provider", "village__name", "village__code"]
    readonly_fields = ["village", "updated"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "connected", "connection_kind", "village"]
    list_filter = ["kind", "connected", "connection_kind", "quality"]
    search_fields = ["code", "name", "village__name", "village__code"]
    readonly_fields = ["village", "updated"]
