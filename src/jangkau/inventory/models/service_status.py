"""The dated history of the status of links and access points.

A site's status has its own life cycle and history (:class:`.sites.SiteStatusChange`). Links
and access points have the simpler service status (planned, active, degraded, down,
decommissioned) without rules between them, but planners still ask when a fiber route came
into service or how long a BAKTI terminal has been down. Every save that changes the status
(API, import, admin) writes a :class:`ServiceStatusChange` row.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.inventory.choices import ServiceStatusChoices
from jangkau.inventory.models.base import acting_user


class ServiceStatusChange(models.Model):
    """A link or an access point went from ``from_status`` to ``to_status`` on ``changed_on``.

    ``from_status`` is empty for the first row (the object was recorded). Exactly one of
    ``link`` and ``access_point`` is set.
    """

    link = models.ForeignKey(
        "inventory.Link",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("link"),
    )
    access_point = models.ForeignKey(
        "inventory.AccessPoint",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("access point"),
    )
    from_status = models.CharField(
        _("from status"), max_length=16, blank=True, choices=ServiceStatusChoices.choices
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=ServiceStatusChoices.choices
    )
    changed_on = models.DateField(_("changed on"))
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("link or access point status change")
        verbose_name_plural = _("link and access point status changes")
        constraints = [
            models.CheckConstraint(
                name="inventory_service_status_change_one_object",
                condition=Q(link__isnull=False, access_point__isnull=True)
                | Q(link__isnull=True, access_point__isnull=False),
                violation_error_message=_("A status change belongs to one link or access point."),
            ),
            models.CheckConstraint(
                name="inventory_service_status_change_changes",
                condition=~Q(to_status=models.F("from_status")),
                violation_error_message=_("A status change must change the status."),
            ),
        ]

    def __str__(self) -> str:
        owner = self.link_id and f"link {self.link_id}" or f"access point {self.access_point_id}"
        return f"{owner}: {self.from_status or '-'} → {self.to_status} on {self.changed_on}"


class StatusHistoryModel(models.Model):
    """Abstract: a model with a ``status`` whose every change is a :class:`ServiceStatusChange`.

    Before saving, a caller may say when and why the status changed with
    :meth:`status_context`. Otherwise the first row (the object is recorded) is dated
    ``as_of``, the date the record describes, and a later change today; with no note and no
    user. A change may not be dated in the future or before the last recorded change
    (:meth:`check_status_change`, run by ``clean()`` and again by ``save()``).
    """

    #: the name of this model's foreign key on :class:`ServiceStatusChange`.
    history_field = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            previous = self._stored_status()
            self.check_status_change(previous)
            super().save(*args, **kwargs)
            if previous != self.status:
                self._record_status(previous or "")

    def clean(self):
        super().clean()
        self.check_status_change(self._stored_status())

    def status_context(self, on_date: dt.date | None = None, note: str = "", user=None):
        """Date, note and user for the status change the next :meth:`save` may record."""
        self._status_context = (on_date, note, user)
        return self

    def check_status_change(self, previous: str | None) -> None:
        """Raise ``ValidationError`` (on ``status``) if a change from ``previous`` is misdated."""
        if previous is None or previous == self.status:
            return
        on_date = self._change_date(previous)
        if on_date > timezone.localdate():
            raise ValidationError(
                {
                    "status": _("The status change date %(date)s is in the future.")
                    % {"date": on_date}
                }
            )
        last = self.status_changes.order_by("-changed_on", "-pk").first()
        if last is not None and on_date < last.changed_on:
            raise ValidationError(
                {
                    "status": _(
                        "The status change date %(date)s is before the last recorded change "
                        "(%(last)s); give a later status_date."
                    )
                    % {"date": on_date, "last": last.changed_on}
                }
            )

    def status_history(self):
        """The status changes, oldest first."""
        return self.status_changes.select_related("changed_by").order_by("changed_on", "pk")

    def _stored_status(self) -> str | None:
        """The status in the database (None for an object not saved yet)."""
        if self._state.adding or self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def _change_date(self, previous: str | None) -> dt.date:
        on_date = getattr(self, "_status_context", (None, "", None))[0]
        if on_date is None and not previous:
            on_date = getattr(self, "as_of", None)
        return on_date or timezone.localdate()

    def _record_status(self, previous: str) -> ServiceStatusChange:
        on_date = self._change_date(previous)
        _, note, user = getattr(self, "_status_context", (None, "", None))
        self._status_context = (None, "", None)
        return ServiceStatusChange.objects.create(
            **{self.history_field: self},
            from_status=previous,
            to_status=self.status,
            changed_on=on_date,
            note=note[:300],
            changed_by=acting_user(user),
        )
