"""Django app configuration of the site shell."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "motcua.web"
    label = "web"
