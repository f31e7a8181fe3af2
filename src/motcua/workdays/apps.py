from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "motcua.workdays"
    label = "workdays"
