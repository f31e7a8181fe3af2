"""The admin page that imports a catalogue file and shows the report row by row.

Reached at ``/admin/catalog/procedureversion/import/``; only catalogue administrators
may use it. The page renders inside the admin layout from a template kept here, so the
catalogue's public templates stay with the public pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template import engines

from motcua.catalog.actions import do_import_procedures
from motcua.catalog.actors import actor_of
from motcua.catalog.admin_forms import ImportForm
from motcua.catalog.errors import ImportRejected
from motcua.catalog.importing import ImportReport, read_import_file
from motcua.catalog.states import CATALOG_ADMIN_ROLES
from motcua.kernel.errors import ApplicationError

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

__all__ = ["import_view"]

PAGE = """{% extends "admin/base_site.html" %}{% load i18n %}
{% block title %}{% translate "Nhập danh mục thủ tục" %} | {{ site_title }}{% endblock %}
{% block breadcrumbs %}<div class="breadcrumbs"><a href="{% url 'admin:index' %}">{% translate "Home" %}</a>
&rsaquo; <a href="{% url 'admin:catalog_procedureversion_changelist' %}">{{ opts.verbose_name_plural|capfirst }}</a>
&rsaquo; {% translate "Nhập danh mục thủ tục" %}</div>{% endblock %}
{% block content %}
<h1>{% translate "Nhập danh mục thủ tục từ tệp" %}</h1>
<p>{% translate "Tệp JSON, XLSX hoặc ZIP các tệp CSV (UTF-8) theo mẫu trao đổi danh mục. Nếu có dòng lỗi, không thủ tục nào được nhập, trừ khi chọn nhập các thủ tục hợp lệ." %}</p>
{% if error %}<p class="errornote" role="alert">{{ error }}</p>{% endif %}
{% if report %}
<div class="module" aria-live="polite">
<h2>{% if report.imported %}{% translate "Kết quả nhập" %}{% else %}{% translate "Tệp không được nhập" %}{% endif %}</h2>
<p>{{ report.summary }}</p>
{% if report.issues %}
<table>
<caption>{% blocktranslate count counter=report.issues|length %}{{ counter }} lỗi{% plural %}{{ counter }} lỗi{% endblocktranslate %}</caption>
<thead><tr><th scope="col">{% translate "Trang" %}</th><th scope="col">{% translate "Dòng" %}</th>
<th scope="col">{% translate "Cột / trường" %}</th><th scope="col">{% translate "Mã thủ tục" %}</th>
<th scope="col">{% translate "Lý do" %}</th></tr></thead>
<tbody>{% for issue in report.issues %}<tr><td>{{ issue.sheet|default:"JSON" }}</td><td>{{ issue.row }}</td>
<td>{{ issue.field }}</td><td>{{ issue.procedure_code }}</td><td>{{ issue.message }}</td></tr>{% endfor %}</tbody>
</table>
{% endif %}
</div>
{% endif %}
<form method="post" enctype="multipart/form-data" novalidate>{% csrf_token %}
<fieldset class="module aligned">{{ form.as_div }}</fieldset>
<div class="submit-row"><input type="submit" class="default" value="{% translate 'Nhập' %}"></div>
</form>
{% endblock %}"""


def import_view(model_admin: ModelAdmin[Any], request: HttpRequest) -> HttpResponse:
    """Show the upload form; on POST import the file and show every issue it has."""
    actor = actor_of(request.user)
    if not actor.has_role(*CATALOG_ADMIN_ROLES):
        raise PermissionDenied
    report: ImportReport | None = None
    error = ""
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = read_import_file(upload.read())
                report = do_import_procedures(
                    batch,
                    actor=actor,
                    partial=form.cleaned_data["partial"],
                    publish=form.cleaned_data["publish"],
                )
            except ImportRejected as exc:
                report, error, status = exc.report, exc.message, 422
            except ApplicationError as exc:
                error, status = exc.message, exc.status
        else:
            status = 422
    else:
        form = ImportForm()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "form": form,
        "report": report,
        "error": error,
    }
    html = engines["django"].from_string(PAGE).render(context, request)
    return HttpResponse(html, status=status)
