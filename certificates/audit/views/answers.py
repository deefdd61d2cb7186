"""Auditors' requests for more information, on both sides (issue 19).

The learner's pages (/certificates/audit-requests/): the open requests about their own records
and CPD profile, and a page per request with the question, their earlier answers and the form
to answer (text, and a file checked like CPD evidence, kept across a failed submit by
``lms.api.KeptUploadsForm``). Another person's request is a 404.

The auditor's file download: an answer's file, through the round (``rounds.get_round_for_user``: the
auditor's scope), logged like the other evidence they read.
"""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from certificates.audit import answers
from certificates.audit.access_log import log_access, log_profile_access
from certificates.audit.models import AccessAction, AuditAnswer
from certificates.audit.views.rounds import get_round_for_user
from certificates.cpd.forms import add_errors
from certificates.cpd.services import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES, check_evidence_file
from lms.api import AuthenticatedHttpRequest, KeptUploadsForm, NotAllowed, User


def _file_help() -> str:
    """Formatted when shown, in the language of the request."""
    return gettext("Optional: %(kinds)s, at most %(size)s MB.") % {
        "kinds": ", ".join(sorted(EVIDENCE_EXTENSIONS)),
        "size": EVIDENCE_MAX_BYTES // (1024 * 1024),
    }


class AnswerForm(KeptUploadsForm):
    """The learner's answer: a text and an optional file. A valid file is kept when the
    submit fails otherwise (``lms.uploads``), for ``learner`` only."""

    kept_upload_fields = ("file",)

    text = forms.CharField(
        label=_("Your answer"),
        max_length=answers.ANSWER_MAX_LENGTH,
        widget=forms.Textarea({"rows": 6}),
        error_messages={"required": _("Write your answer.")},
    )
    file = forms.FileField(label=_("File"), required=False, help_text=lazy(_file_help, str)())

    def __init__(self, *args: Any, learner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_uploads_for(str(learner.pk))

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if file:
            try:
                check_evidence_file(file, field="file")
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from None
        return file


@require_safe
@login_required
def requests_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The open requests for more information about the user's records and CPD profile."""
    rows = [
        (sample, answers.subject_of(sample))
        for sample in answers.requests_for_learner(request.user)
    ]
    return render(request, "certificates/audit/requests.html", {"rows": rows})


@login_required
def request_detail(
    request: AuthenticatedHttpRequest, round_id: UUID, sample_id: int
) -> HttpResponse:
    """One request: the auditor's question, the answers sent, and the form to answer it."""
    user = request.user
    sample = answers.get_request_for_user(user, round_id, sample_id)
    open_now = answers.can_answer(sample)
    if request.method == "POST" and not open_now:
        messages.error(request, _("This request is closed: your answer was not sent."))
        return redirect("audit-request", round_id=round_id, sample_id=sample_id)
    form = AnswerForm(request.POST or None, request.FILES or None, learner=user)
    if request.method == "POST" and form.is_valid():
        try:
            answers.answer_request(
                sample=sample,
                by=user,
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"] or None,
            )
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            add_errors(form, error)
            form.keep_valid_uploads()
        else:
            form.discard_used_uploads()
            messages.success(request, _("Your answer is sent to the auditor."))
            return redirect("audit-request", round_id=round_id, sample_id=sample_id)
    return render(
        request,
        "certificates/audit/request.html",
        {
            "sample": sample,
            "subject": answers.subject_of(sample),
            "answers": list(answers.answers_of([sample])),
            "form": form if open_now else None,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _file_response(answer: AuditAnswer) -> FileResponse:
    if not answer.file:
        raise Http404
    return FileResponse(answer.file.open("rb"), as_attachment=True, filename=answer.file_name)


@require_safe
@login_required
@cache_control(private=True, no_store=True)
def own_answer_file(request: AuthenticatedHttpRequest, answer_id: UUID) -> FileResponse:
    """The file of one of the user's own answers."""
    answer = get_object_or_404(AuditAnswer, public_id=answer_id, author=request.user)
    return _file_response(answer)


@require_safe
@login_required
@cache_control(private=True, no_store=True)
def round_answer_file(
    request: AuthenticatedHttpRequest, round_id: UUID, answer_id: UUID
) -> FileResponse:
    """The file of an answer to a request of the round, for its auditors; logged."""
    audit_round = get_round_for_user(request.user, round_id)
    answer = get_object_or_404(
        AuditAnswer.objects.select_related("sample__record", "sample__registration__learner"),
        public_id=answer_id,
        sample__round=audit_round,
    )
    if not answer.file:
        raise Http404
    detail = f"answer file {answer.public_id} (audit round {audit_round.public_id})"
    sample = answer.sample
    if sample.record is not None:
        log_access(
            user=request.user,
            action=AccessAction.VIEW_RECORD,
            accreditation=audit_round.accreditation,
            records=[sample.record],
            detail=detail,
        )
    else:
        log_profile_access(
            user=request.user,
            learners=[sample.registration.learner],  # type: ignore[union-attr]
            detail=detail,
        )
    return _file_response(answer)
