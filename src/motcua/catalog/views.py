"""The public catalogue pages: procedure search, the procedure page, form downloads.

Reads go through ``catalog.selectors`` (``search_procedures``, ``get_procedure_page``);
the few lookups those do not offer — the agencies for the filter, the last published
version of an abolished procedure, one form template — are thin queries here. Every
page works without JavaScript; with htmx, the search form and the page links refresh
only the results region (``HX-Request``), and the address bar follows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from motcua.agencies.models import Agency
from motcua.catalog.enums import (
    PROCEDURE_CODE_PATTERN,
    DocumentRequirement,
    ImplementationLevel,
    OnlineLevel,
    PublicationState,
    SubjectType,
)
from motcua.catalog.errors import NoVersionInForce, UnknownProcedure, UnknownVersion
from motcua.catalog.models import (
    IN_FORCE_STATES,
    ApplicationFormTemplate,
    FeeItem,
    ProcedureCase,
    ProcedureDocument,
    ProcedureVersion,
)
from motcua.catalog.selectors import (
    ProcedurePage,
    SearchResult,
    get_procedure_page,
    list_fields,
    search_procedures,
    versions_in_force,
)
from motcua.identity.selectors import actor_from_request
from motcua.kernel import clock
from motcua.kernel.actors import Actor

__all__ = ["detail", "download_form", "search", "version"]

PAGE_SIZE = 20
# Shown when the portal's own "apply online" page does not exist yet.
NATIONAL_PORTAL_URL = "https://dichvucong.gov.vn"
# Agencies listed on a search result before "and N others" (commune-level procedures
# are implemented by every commune of the province).
RESULT_AGENCY_LIMIT = 3

ONLINE_BADGES: dict[str, Promise] = {
    OnlineLevel.FULL: _("Trực tuyến toàn trình"),
    OnlineLevel.PARTIAL: _("Trực tuyến một phần"),
    OnlineLevel.NONE: _("Chưa có dịch vụ trực tuyến"),
}
# National databases a document's data can be taken from (NQ 66.7/2025/NQ-CP).
DATA_SOURCE_NAMES: dict[str, Promise] = {
    "CSDLQGDC": _("Cơ sở dữ liệu quốc gia về dân cư"),
    "CSDLHT": _("Cơ sở dữ liệu hộ tịch điện tử"),
    "CSDLDD": _("Cơ sở dữ liệu quốc gia về đất đai"),
    "CSDLDKDN": _("Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp"),
    "CSDLBHXH": _("Cơ sở dữ liệu quốc gia về bảo hiểm"),
    "CSDLYT": _("Cơ sở dữ liệu y tế"),
    "CSDLLLTP": _("Cơ sở dữ liệu lý lịch tư pháp"),
    "CSDLNKT": _("Cơ sở dữ liệu về người khuyết tật"),
    "CSDLHN": _("Cơ sở dữ liệu hộ nghèo, hộ cận nghèo"),
}


# --- search -------------------------------------------------------------------


class SearchForm(forms.Form):
    """The search and its filters, all optional; a bad value drops only that filter."""

    q = forms.CharField(
        label=_("Tên thủ tục, mã thủ tục hoặc từ khóa"), required=False, max_length=200
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    agency = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *ImplementationLevel.choices],
    )
    online_level = forms.ChoiceField(
        label=_("Mức độ dịch vụ công trực tuyến"),
        required=False,
        choices=[("", _("Tất cả các mức độ")), *OnlineLevel.choices],
    )
    subject = forms.ChoiceField(
        label=_("Đối tượng thực hiện"),
        required=False,
        choices=[("", _("Tất cả các đối tượng")), *SubjectType.choices],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    FILTERS = ("field", "agency", "level", "online_level", "subject")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_choices, agency_choices = filter_choices()
        fields = self.fields
        fields["field"].choices = [("", _("Tất cả các lĩnh vực")), *field_choices]  # type: ignore[attr-defined]
        fields["agency"].choices = [("", _("Tất cả các cơ quan")), *agency_choices]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        """Return the filters that are valid and set, by selector argument name."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.FILTERS if data.get(name)}


FILTER_CHOICES_KEY = "catalog:search-filter-choices:1"


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the (code, name) choices of the field and agency filters.

    They change only when a field is added or a procedure of a new agency comes into
    force, yet cost two queries (one over the versions in force): cached for
    ``CATALOG_FILTER_CACHE_SECONDS`` (default 60 s), so a new agency appears in the
    filter within a minute.
    """
    found = cache.get(FILTER_CHOICES_KEY)
    if found is None:
        found = (
            [(f.code, f.name) for f in list_fields().only("code", "name")],
            [(a.code, a.name) for a in _agencies_with_procedures()],
        )
        cache.set(FILTER_CHOICES_KEY, found, getattr(settings, "CATALOG_FILTER_CACHE_SECONDS", 60))
    return found


def _agencies_with_procedures() -> list[Agency]:
    # Only agencies that implement a procedure in force: a national list of every
    # commune would make the filter unusable.
    implementing = ProcedureVersion.implementing_agencies.through.objects.filter(
        procedureversion_id__in=versions_in_force().values("pk")
    ).values("agency_id")
    return list(Agency.objects.filter(pk__in=implementing).only("code", "name").order_by("name"))


@dataclass(frozen=True)
class ResultRow:
    """One search result with the texts the list shows."""

    version: ProcedureVersion
    time_limits: str
    agencies: str
    online_badge: str


def _row_cache_key(version: ProcedureVersion, language: str) -> str:
    # A published version changes only through transitions, which bump the procedure's
    # revision; the content hash guards against a reused primary key.
    return (
        f"catalog:result-row:1:{language}:{version.pk}:{version.procedure.revision}:"
        f"{version.content_hash[:16]}"
    )


def render_result_rows(versions: list[ProcedureVersion]) -> list[SafeString]:
    """Return the HTML of each search result, rendered once per version and language.

    A result shows only what a published version cannot change (name, code, field,
    levels, time limits, implementing agencies), so its HTML is cached like the
    procedure page, for ``CATALOG_PAGE_CACHE_SECONDS``, under a key that changes with
    every transition of the procedure: one ``get_many`` instead of rendering twenty
    rows of template per search.
    """
    language = get_language() or settings.LANGUAGE_CODE
    keys = [_row_cache_key(v, language) for v in versions]
    cached = cache.get_many(keys)
    missing: dict[str, str] = {}
    html: list[SafeString] = []
    for key, v in zip(keys, versions, strict=True):
        if key not in cached:
            row = ResultRow(
                version=v,
                time_limits=summarize_time_limits(list(v.cases.all())),
                agencies=summarize_agencies(v),
                online_badge=str(ONLINE_BADGES[v.online_level]),
            )
            missing[key] = render_to_string("catalog/_result_row.html", {"row": row})
        html.append(mark_safe(cached.get(key) or missing[key]))  # noqa: S308 (our own template)
    if missing:
        cache.set_many(missing, getattr(settings, "CATALOG_PAGE_CACHE_SECONDS", 3600))
    return html


def summarize_time_limits(cases: list[ProcedureCase]) -> str:
    """Return the distinct time limits of ``cases``: ``"3 ngày làm việc; 23 ngày làm việc"``."""
    return "; ".join(dict.fromkeys(case.time_limit_display for case in cases))


def summarize_agencies(version: ProcedureVersion, limit: int = RESULT_AGENCY_LIMIT) -> str:
    """Return the implementing agencies, the first ``limit`` by name and then a count."""
    names = [a.name for a in version.implementing_agencies.all()]
    names += list(version.implementing_agency_names)
    if len(names) <= limit:
        return ", ".join(names)
    rest = len(names) - limit
    return ngettext(
        "%(names)s và %(count)s cơ quan khác",
        "%(names)s và %(count)s cơ quan khác",
        rest,
    ) % {"names": ", ".join(names[:limit]), "count": rest}


def page_window(current: int, last: int, radius: int = 2) -> list[int | None]:
    """Return the page numbers to link, ``None`` for a gap: ``[1, None, 4, 5, 6, None, 20]``."""
    pages = {1, last, *range(max(1, current - radius), min(last, current + radius) + 1)}
    out: list[int | None] = []
    previous = 0
    for number in sorted(pages):
        if number - previous > 1:
            out.append(None)
        out.append(number)
        previous = number
    return out


def _search(query: str, page: int, filters: dict[str, str]) -> SearchResult:
    return search_procedures(
        q=query,
        field=filters.get("field"),
        agency=filters.get("agency"),
        level=filters.get("level"),
        online_level=filters.get("online_level"),
        subject=filters.get("subject"),
        page=page,
        page_size=PAGE_SIZE,
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Render the catalogue search (the results region only for an htmx request)."""
    form = SearchForm(request.GET)
    filters = form.filters()
    query: str = form.cleaned_data.get("q") or ""
    page: int = form.cleaned_data.get("page") or 1
    result = _search(query, page, filters)
    if not result.items and result.total and page > result.num_pages:
        # A page past the end (an old bookmark): show the last one instead.
        result = _search(query, result.num_pages, filters)
    rows = render_result_rows(result.items)
    first = (result.page - 1) * result.page_size + 1
    context = {
        "form": form,
        "query": query,
        "result": result,
        "rows": rows,
        "first_index": first,
        "last_index": first + len(rows) - 1,
        "pages": page_window(result.page, result.num_pages),
        "has_filters": bool(filters),
        "is_filtered": bool(filters or query),
        "breadcrumbs": [(_("Thủ tục hành chính"), None)],
    }
    is_partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "catalog/search_results_htmx.html" if is_partial else "catalog/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- the procedure page -----------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    """A required document with its copies, requirement and notes as the table shows them."""

    document: ProcedureDocument
    copies: list[str]
    requirement: str
    data_source: str
    form: ApplicationFormTemplate | None

    @property
    def has_notes(self) -> bool:
        d = self.document
        return bool(d.replaceable_by_data or d.is_present_only or d.e_form_code or self.form)


_COPY_KINDS = (
    ("originals", ngettext_lazy("%(count)s bản chính", "%(count)s bản chính", "count")),
    (
        "certified_copies",
        ngettext_lazy(
            "%(count)s bản sao có chứng thực", "%(count)s bản sao có chứng thực", "count"
        ),
    ),
    ("photocopies", ngettext_lazy("%(count)s bản chụp", "%(count)s bản chụp", "count")),
)


def describe_copies(document: ProcedureDocument) -> list[str]:
    """Return ``["1 bản chính", "2 bản sao có chứng thực"]`` for a document's copies."""
    counts = ((getattr(document, attr), text) for attr, text in _COPY_KINDS)
    return [str(text % {"count": count}) for count, text in counts if count]


def describe_requirement(document: ProcedureDocument) -> str:
    """Return "Bắt buộc", "Không bắt buộc" or "Bắt buộc khi: <condition>"."""
    if document.requirement == DocumentRequirement.CONDITIONAL:
        return gettext("Bắt buộc khi: %(condition)s") % {"condition": document.condition}
    return str(DocumentRequirement(document.requirement).label)


def _document_rows(
    documents: list[ProcedureDocument], forms_by_id: dict[int, ApplicationFormTemplate]
) -> list[DocumentRow]:
    return [
        DocumentRow(
            document=d,
            copies=describe_copies(d),
            requirement=describe_requirement(d),
            data_source=str(DATA_SOURCE_NAMES.get(d.data_source_code, d.data_source_code)),
            form=forms_by_id.get(d.template_id) if d.template_id else None,
        )
        for d in documents
    ]


def format_vnd(amount: int) -> str:
    """Return ``"50.000 đồng"``: whole đồng, grouped by thousands in the active language.

    Django's Vietnamese locale sets no number grouping, so ``floatformat``/``intcomma``
    would print ``50000``; the separator still comes from the locale (``.`` in
    Vietnamese, ``,`` in English).
    """
    separator = str(get_format("THOUSAND_SEPARATOR"))
    digits = f"{amount:,d}".replace(",", separator)
    return gettext("%(amount)s đồng") % {"amount": digits}


@dataclass(frozen=True)
class FeeRow:
    """A fee as the table shows it: the amount in words, and the case it belongs to."""

    fee: FeeItem
    amount: str
    case_name: str


def _fee_rows(page: ProcedurePage) -> list[FeeRow]:
    rows = [FeeRow(fee, format_vnd(fee.amount), "") for fee in page.common_fees]
    for section in page.cases:
        rows += [FeeRow(fee, format_vnd(fee.amount), section.case.name) for fee in section.fees]
    return rows


def find_apply_url(code: str) -> str | None:
    """Return the portal's "apply online" URL for ``code``, or None before the portal exists."""
    try:
        return reverse("portal:apply", args=[code])
    except NoReverseMatch:
        return None


def _load_page(request: HttpRequest, code: str, number: int | None) -> ProcedurePage:
    if not re.fullmatch(PROCEDURE_CODE_PATTERN, code):
        raise Http404(gettext("Không có thủ tục hành chính mã này."))
    actor: Actor | None = None
    if number is not None and request.user.is_authenticated:
        actor = actor_from_request(request)  # catalogue admins may preview drafts
    try:
        return get_procedure_page(code, number, actor=actor)
    except (UnknownProcedure, UnknownVersion) as error:
        raise Http404(error.message) from None
    except NoVersionInForce as error:
        # Abolished, or announced for a later date: show the last published version
        # with its notice, so that an old link still explains what happened.
        last = (
            ProcedureVersion.objects.filter(code=code)
            .exclude(state=PublicationState.DRAFT)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        if last is None:
            raise Http404(error.message) from None
        return get_procedure_page(code, last)


IN_FORCE, DRAFT, ABOLISHED, EXPIRED, FUTURE = "in_force", "draft", "abolished", "expired", "future"


def describe_status(version: ProcedureVersion, now: dt.datetime) -> str:
    """Return which notice the page carries: in force, draft, abolished, expired, future."""
    if version.state in (PublicationState.DRAFT, PublicationState.ABOLISHED):
        return DRAFT if version.state == PublicationState.DRAFT else ABOLISHED
    if version.valid_to is not None and version.valid_to <= now:
        return EXPIRED
    if version.valid_from is not None and version.valid_from > now:
        return FUTURE
    return IN_FORCE


def _render_page(request: HttpRequest, code: str, number: int | None) -> HttpResponse:
    page = _load_page(request, code, number)
    version = page.version
    status = describe_status(version, clock.now())
    forms_by_id = {form.pk: form for form in page.forms}
    single_case = len(page.cases) == 1
    documents = page.common_documents + (page.cases[0].documents if single_case else [])
    fee_rows = _fee_rows(page)
    context = {
        "page": page,
        "version": version,
        "status": status,
        "is_current": status == IN_FORCE,
        "single_case": single_case,
        "documents": _document_rows(documents, forms_by_id),
        "case_documents": [
            (section, _document_rows(section.documents, forms_by_id))
            for section in page.cases
            if not single_case and section.documents
        ],
        "fees": fee_rows,
        "has_charges": any(row.fee.amount for row in fee_rows),
        "has_steps": any(section.steps for section in page.cases),
        "online_badge": ONLINE_BADGES[version.online_level],
        "apply_url": find_apply_url(version.code) if version.online_level != "none" else None,
        "national_portal_url": NATIONAL_PORTAL_URL,
        "page_url": request.build_absolute_uri(),
        # Links on the page are absolute so that the printed page shows usable addresses.
        "site_origin": request.build_absolute_uri("/").rstrip("/"),
        "breadcrumbs": [
            (_("Thủ tục hành chính"), reverse("catalog:search")),
            (version.name, None),
        ],
    }
    return render(request, "catalog/detail.html", context)


@require_safe
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """Render the page of procedure ``code`` as in force now; 404 for an unknown code."""
    return _render_page(request, code, None)


@require_safe
def version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Render version ``number`` of procedure ``code``, with a notice when it is not in force."""
    return _render_page(request, code, number)


@require_safe
def download_form(request: HttpRequest, code: str, form_id: int) -> HttpResponseBase:
    """Send a form template of a published version of ``code`` (or redirect to its URL).

    Files are streamed from the default storage, so the link works whether or not the
    web server publishes ``MEDIA_URL``. Drafts' forms are not public: 404.
    """
    try:
        template = ApplicationFormTemplate.objects.only("name", "file", "url").get(
            pk=form_id, version__code=code, version__state__in=IN_FORCE_STATES
        )
    except ObjectDoesNotExist:
        raise Http404(gettext("Không có mẫu đơn, tờ khai này.")) from None
    if template.file:
        name = (template.file.name or "").rsplit("/", 1)[-1]
        try:
            handle = template.file.open("rb")
        except FileNotFoundError:
            raise Http404(gettext("Tệp mẫu không còn trong kho lưu trữ.")) from None
        return FileResponse(handle, filename=name, as_attachment=not name.lower().endswith(".pdf"))
    if template.url:
        return HttpResponseRedirect(template.url)
    raise Http404(gettext("Mẫu này không có tệp để tải về."))
