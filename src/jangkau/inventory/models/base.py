"""What every located inventory object shares: a natural code and a point in the regency."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.inventory.geo import current_frame

#: natural codes appear in URLs: letters, digits, dot, dash and underscore.
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use letters, digits, '.', '-' and '_' only, starting with a letter or digit."),
)


def acting_user(user):
    """The user to record as having made a change (None for anonymous or no user)."""
    return user if user is not None and user.is_authenticated else None


class LocatedModel(models.Model):
    """Abstract: latitude/longitude inside the regency and the village found from them.

    Concrete models declare ``village`` (a foreign key to ``regions.Village``). :meth:`locate`
    refuses a point outside the regency (its boundary grown by 0.02°) and sets ``village`` by
    point-in-polygon (the nearest village for a point in that margin); ``clean()`` and
    ``save()`` both call it when the point has moved, so the village always matches the
    coordinates. An importer that has already located the point uses :meth:`place`.
    """

    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._needs_locating():
            self.locate()
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        if "lat" in field_names and "lon" in field_names:
            obj._located_at = (obj.lat, obj.lon)
        return obj

    def locate(self) -> None:
        """Check the point is in the regency and set the village containing it.

        Raises ``ValidationError`` (on ``lat``) for a point outside the regency.
        """
        if self.lat is None or self.lon is None:
            return
        frame = current_frame()
        problem = frame.point_error(self.lat, self.lon)
        if problem:
            raise ValidationError({"lat": problem}, code="outside_regency")
        self.village_id = frame.village_at(self.lat, self.lon)
        self._located_at = (self.lat, self.lon)

    def place(self, lat: float, lon: float, village) -> None:
        """Set the point and the village already found for it (by the importing framework)."""
        self.lat, self.lon = lat, lon
        self.village = village
        self._located_at = (lat, lon)

    def _needs_locating(self) -> bool:
        return getattr(self, "_located_at", None) != (self.lat, self.lon)

    def clean(self):
        super().clean()
        if self._needs_locating():
            self.locate()
