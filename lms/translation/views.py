"""The translators' pages: each language's status, the PO download, and the PO import
(upload and preview, then apply). Outside a translator's languages, a 404."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rosetta.poutil import find_pos
from rosetta.views import get_app_name

from lms.translation import catalogues
from lms.translation.access import can_translate_interface, languages_for, may_translate
from lms.translation.forms import ApplyForm, UploadForm

CACHE_PREFIX = "lms.translation.upload:"


def _rosetta_url(language: str) -> str | None:
    """Rosetta's editor of our catalogue for this language: its files are numbered in the order
    of rosetta's TranslationFormView.po_file_path (found, then sorted by app name)."""
    path = str(catalogues.catalogue_path(language))
    found = sorted(find_pos(language), key=get_app_name)
    if path not in found:
        return None
    return reverse(
        "rosetta-form",
        kwargs={"po_filter": "project", "lang_id": language, "idx": found.index(path)},
    )


def _translator_languages(request: HttpRequest) -> list[tuple[str, str]]:
    if not can_translate_interface(request.user):
        raise Http404
    return languages_for(request.user)


def _language(request: HttpRequest, language: str) -> str:
    _translator_languages(request)
    if not may_translate(request.user, language):
        raise Http404
    return language


def _status_page(
    request: HttpRequest, *, failed: UploadForm | None = None, status: int = 200
) -> HttpResponse:
    languages = _translator_languages(request)
    rows = [
        {
            "status": row,
            "editor": _rosetta_url(row.language),
            "form": failed
            if failed and failed.language == row.language
            else UploadForm(language=row.language),
        }
        for row in catalogues.catalogue_status(languages)
    ]
    return render(
        request, "lms/translation/status.html", {"rows": rows, "form": failed}, status=status
    )


@login_required
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    return _status_page(request)


@login_required
@require_GET
def download(request: HttpRequest, language: str) -> HttpResponse:
    path = catalogues.catalogue_path(_language(request, language))
    if not path.exists():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="text/x-gettext-translation")
    response["Content-Disposition"] = f'attachment; filename="practica-{language}.po"'
    return response


@login_required
@require_POST
def upload(request: HttpRequest, language: str) -> HttpResponse:
    """Checks the file and shows what would change; the file waits in the cache, unapplied."""
    form = UploadForm(request.POST, request.FILES, language=_language(request, language))
    if not form.is_valid() or form.preview is None:
        return _status_page(request, failed=form, status=400)
    token = secrets.token_urlsafe(32)
    cache.set(
        CACHE_PREFIX + token,
        {
            "user": request.user.pk,
            "language": language,
            "data": form.data_bytes,
            "digest": form.preview.digest,
        },
        settings.TRANSLATION_UPLOAD_MAX_AGE_SECONDS,
    )
    return render(
        request,
        "lms/translation/preview.html",
        {
            "language": language,
            "preview": form.preview,
            "file_name": form.cleaned_data["file"].name,
            "apply_form": ApplyForm(initial={"token": token}),
        },
    )


@login_required
@require_POST
def apply(request: HttpRequest, language: str) -> HttpResponse:
    _language(request, language)
    form = ApplyForm(request.POST)
    kept = cache.get(CACHE_PREFIX + form.data.get("token", "")) if form.is_valid() else None
    if not kept or kept["user"] != request.user.pk or kept["language"] != language:
        messages.error(request, _("Your upload is no longer kept: upload your file again."))
        return redirect("translation:status")
    try:
        preview = catalogues.apply_upload(
            language=language, data=kept["data"], digest=kept["digest"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("translation:status")
    cache.delete(CACHE_PREFIX + form.cleaned_data["token"])
    messages.success(
        request,
        _(
            "Your file is applied: %(new)s new and %(changed)s changed translations. "
            "Export the catalogue to the repository so the next release keeps them."
        )
        % {"new": len(preview.new), "changed": len(preview.changed)},
    )
    return redirect("translation:status")


def limited_to_own_languages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = kwargs.get("lang_id")
        # Someone who may translate, but not this language: as if it did not exist.
        if (
            language is not None
            and can_translate_interface(request.user)
            and not may_translate(request.user, language)
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded
