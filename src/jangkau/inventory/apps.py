from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "jangkau.inventory"
    label = "inventory"
    verbose_name = _("Infrastructure inventory")

    def ready(self):
        # The importers ("sites", "links", "facilities", "accesspoints") join the shared
        # importing framework's registry.
        from jangkau.inventory.importers import register_all

        register_all()
