from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "motcua.kernel"
    label = "kernel"
