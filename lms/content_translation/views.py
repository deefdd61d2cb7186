"""Pages of content translations: per language what is missing or out of date, an edit page
per object (source beside translation), XLIFF 2.0 export, and import with a preview."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from lms.content_translation import selectors, services, xliff
from lms.content_translation.forms import TranslationForm, XliffImportForm
from lms.errors import ApplicationError, NotFound
from lms.kits.language import language_name
from lms.types import AuthenticatedHttpRequest

SALT = "lms.content_translation.import"
PAGE_SIZE = 50


def _languages(request: AuthenticatedHttpRequest) -> list[str]:
    languages = selectors.languages_for(request.user)
    if not languages:
        raise NotFound()
    return languages


@login_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = []
    for language in _languages(request):
        work = selectors.work_for(language)
        rows.append(
            (language, language_name(language), sum(r.missing for r in work),
             sum(r.stale for r in work))
        )  # fmt: skip
    return render(request, "lms/content_translation/index.html", {"languages": rows})


@login_required
@require_GET
def language_work(request: AuthenticatedHttpRequest, language: str) -> HttpResponse:
    selectors.check_language(request.user, language)
    show_all = request.GET.get("all") == "1"
    rows = selectors.work_for(language, only_open=not show_all)
    sources = sorted({t.source_language for r in rows for t in r.texts})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "lms/content_translation/language.html",
        {
            "language": language,
            "language_name": language_name(language),
            "rows": page.object_list,
            "page": page,
            "query_string": "all=1" if show_all else "",
            "show_all": show_all,
            "sources": [(code, language_name(code)) for code in sources],
            "form": XliffImportForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, language: str, key: str, pk: int) -> HttpResponse:
    selectors.check_language(request.user, language)
    spec, obj = selectors.get_object_for_translation(key, pk)
    row = selectors.object_texts(spec, obj, language)
    form = TranslationForm(request.POST or None, row=row, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_translations(spec=spec, pk=pk, language=language, texts=form.texts())
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your translations are saved."))
            return redirect("content_translation:language", language=language)
    return render(
        request,
        "lms/content_translation/edit.html",
        {
            "language": language,
            "language_name": language_name(language),
            "row": row,
            "pairs": [(text, form[f"text_{text.id.rsplit(':', 1)[1]}"]) for text in row.texts],
            "form": form,
        },
    )


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest, language: str) -> HttpResponse:
    selectors.check_language(request.user, language)
    source = request.GET.get("source", "en")
    rows = selectors.work_for(language, only_open=request.GET.get("all") != "1")
    data = xliff.export_xliff(rows, source_language=source, language=language)
    response = HttpResponse(data, content_type="application/xliff+xml; charset=utf-8")
    name = f"practica-content-{source}-{language}.xlf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["POST"])
def import_file(request: AuthenticatedHttpRequest, language: str) -> HttpResponse:
    """First post: the file, answered with a preview of what would change. Second post: the
    signed file from the preview, checked again and applied whole or not at all."""
    selectors.check_language(request.user, language)
    context = {"language": language, "language_name": language_name(language)}
    signed = request.POST.get("payload")
    form = XliffImportForm(request.POST, request.FILES)
    if signed:
        try:
            data = signing.loads(signed, salt=f"{SALT}:{request.user.pk}", max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("The preview has expired: choose the file again."))
            return redirect("content_translation:language", language=language)
        content = base64.b64decode(data)
    elif form.is_valid():
        content = form.cleaned_data["file"].read(xliff.MAX_BYTES + 1)
    else:
        return render(request, "lms/content_translation/import.html", {**context, "form": form})
    try:
        preview = xliff.read_xliff(content, language=language)
        if signed:
            count = services.apply_changes([change for change, _name, _old in preview.changes])
            messages.success(
                request,
                ngettext(
                    "The file is imported: %(count)s text changed.",
                    "The file is imported: %(count)s texts changed.",
                    count,
                )
                % {"count": count},
            )
            return redirect("content_translation:language", language=language)
    except ApplicationError as error:
        return render(
            request,
            "lms/content_translation/import.html",
            {**context, "form": XliffImportForm(), "errors": error.messages},
        )
    payload = signing.dumps(
        base64.b64encode(content).decode("ascii"), salt=f"{SALT}:{request.user.pk}",
        compress=True,
    )  # fmt: skip
    return render(
        request,
        "lms/content_translation/import.html",
        {**context, "preview": preview, "payload": payload},
    )
