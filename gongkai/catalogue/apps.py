from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "gongkai.catalogue"
    label = "catalogue"
    verbose_name = "主动公开"

    def ready(self):
        from .search import signals

        signals.connect()
