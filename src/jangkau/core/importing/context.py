"""The state one import shares with its spec's callbacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from jangkau.core.importing.locate import VillageLocator

if TYPE_CHECKING:
    from jangkau.core.importing.spec import ImportSpec


@dataclass
class ImportContext:
    """Passed to ``check_row``, ``keep_row`` and ``write_batch``.

    Attributes
    ----------
    spec : the importer.
    user : who imports (None from the command line).
    options : values given for columns the file lacks (``--period``, ``--set NAME=VALUE``), as
        cleaned by their column.
    source_name : the file's name, for messages and provenance.
    now : when the import started (aware); "not in the future" is judged against it.
    """

    spec: ImportSpec
    user: Any = None
    options: dict[str, Any] = field(default_factory=dict)
    source_name: str = ""
    now: datetime = field(default_factory=timezone.now)

    @cached_property
    def regency_code(self) -> str:
        return settings.JANGKAU_REGENCY_CODE

    @cached_property
    def locator(self) -> VillageLocator:
        """Point-in-village lookups (built on first use)."""
        return VillageLocator.from_db(self.regency_code)

    @cached_property
    def _villages(self) -> dict:
        from jangkau.regions.models import Village

        qs = Village.objects.filter(code__startswith=self.regency_code + ".").only(
            "id", "code", "name", "district_id"
        )
        return {v.code: v for v in qs}

    def village(self, code: str):
        """The village with this Kemendagri code in the regency, or None."""
        return self._villages.get(code)

    @property
    def today(self):
        return timezone.localdate(self.now)
