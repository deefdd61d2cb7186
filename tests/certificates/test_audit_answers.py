"""Answers to auditors' requests for more information (issue 19): the learner answers, with a
text and a file, a request about one of their records or their CPD profile in an open round;
the auditor is told, reads the answer and the file (logged) and decides again. Only the owner
answers; a closed round or a withdrawn request says so."""

import datetime
import uuid

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certificates.audit import answers, rounds
from certificates.audit.services import add_accreditor
from certificates.audit.todo import accreditor_todo, learner_audit_todo
from certificates.audit.views.answers import AnswerForm
from certificates.cpd import services as cpd_services
from certificates.models import (
    AccessAction,
    AccessLogEntry,
    AuditAnswer,
    AuditDecision,
)
from lms.api import NotAllowed
from lms.models import Notification
from progress.models import CompletionRecord
from tests.certificates.factories import (
    AccreditationFactory,
    AccreditingBodyFactory,
    CpdRegistrationFactory,
    RuleSetFactory,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

QUESTION = "Send the attendance sheet of the practical session."


def _record(accreditation, learner):
    return CompletionRecord.objects.create(
        learner=learner,
        course=accreditation.course,
        registration=uuid.uuid4(),
        completed_at=timezone.now() - datetime.timedelta(days=3),
        evidence=[],
    )


@pytest.fixture
def accreditation():
    return AccreditationFactory(reference="CNASR-2024-17")


@pytest.fixture
def accreditor(accreditation):
    user = UserFactory(display_name="Ada Auditor", email="ada@example.org")
    add_accreditor(body=accreditation.body, user=user)
    return user


@pytest.fixture
def learner():
    return UserFactory(display_name="Ana Pop")


@pytest.fixture
def sample(accreditation, accreditor, learner):
    _record(accreditation, learner)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    return rounds.decide(
        sample=audit_round.samples.get(),
        decision=AuditDecision.MORE_INFORMATION,
        notes=QUESTION,
        by=accreditor,
    )


def pdf(name="attendance.pdf", content=b"%PDF-1.4 sheet"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def request_url(sample):
    return reverse("audit-request", args=[sample.round.public_id, sample.pk])


# --- the service --------------------------------------------------------------------------------


def test_an_answer_keeps_its_text_and_file_and_tells_the_auditor(
    sample, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = answers.answer_request(
            sample=sample, by=learner, text="  Here it is.  ", file=pdf()
        )
    answer.refresh_from_db()
    assert (answer.text, answer.author, answer.sample) == ("Here it is.", learner, sample)
    assert answer.file.name.startswith(f"audit/answers/{timezone.now():%Y}/")
    assert answer.file_name == "attendance.pdf"
    with answer.file.open("rb") as file:
        assert file.read() == b"%PDF-1.4 sheet"
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "Hello Ada Auditor," in message.body
    assert "Ana Pop answered your request" in message.body
    record_url = reverse("audit-record", args=[sample.record.public_id])
    assert f"http://testserver{record_url}#answers" in message.body
    # Through lms notifications: in the auditor's centre too, with the one-click unsubscribe.
    told = Notification.objects.get(kind="audit_answer")
    assert (told.recipient.email, told.url) == ("ada@example.org", f"{record_url}#answers")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_only_the_owner_of_the_record_may_answer(sample, accreditor):
    for someone in (UserFactory(), accreditor):
        with pytest.raises(NotAllowed):
            answers.answer_request(sample=sample, by=someone, text="Mine")
    assert not AuditAnswer.objects.exists()


def test_a_closed_round_or_a_request_withdrawn_takes_no_answer(sample, learner, accreditor):
    rounds.decide(sample=sample, decision=AuditDecision.ACCEPTED, notes="", by=accreditor)
    with pytest.raises(ValidationError) as error:
        answers.answer_request(sample=sample, by=learner, text="Late")
    assert error.value.code == "not_requested"
    rounds.decide(sample=sample, decision=AuditDecision.MORE_INFORMATION, notes="?", by=accreditor)
    rounds.close_round(audit_round=sample.round, by=accreditor)
    with pytest.raises(ValidationError) as error:
        answers.answer_request(sample=sample, by=learner, text="Late")
    assert error.value.code == "closed"
    assert not AuditAnswer.objects.exists()


def test_bad_text_or_file_is_refused_naming_the_field(sample, learner, monkeypatch):
    with pytest.raises(ValidationError) as error:
        answers.answer_request(sample=sample, by=learner, text="   ")
    assert list(error.value.message_dict) == ["text"]
    with pytest.raises(ValidationError) as error:
        answers.answer_request(sample=sample, by=learner, text="x", file=pdf("run.exe"))
    assert list(error.value.message_dict) == ["file"]
    monkeypatch.setattr(cpd_services, "EVIDENCE_MAX_BYTES", 4)
    with pytest.raises(ValidationError) as error:
        answers.answer_request(sample=sample, by=learner, text="x", file=pdf())
    assert "larger than" in error.value.message_dict["file"][0]
    assert not AuditAnswer.objects.exists()


def test_an_answer_awaits_the_auditors_decision_until_they_decide_again(
    sample, learner, accreditor
):
    assert learner_audit_todo(learner)[0].count == 1
    assert accreditor_todo(accreditor) == []
    answers.answer_request(sample=sample, by=learner, text="Here it is.")
    assert learner_audit_todo(learner)[0].count == 0
    [item] = accreditor_todo(accreditor)
    assert item.count == 1
    assert rounds.samples_of_round(sample.round).get().answered
    rounds.decide(sample=sample, decision="more_information", notes="More", by=accreditor)
    assert not rounds.samples_of_round(sample.round).get().answered
    assert learner_audit_todo(learner)[0].count == 1


def _kept_reference(by, name="attendance.pdf"):
    """The signed reference the answer form keeps for ``by`` when a submit fails on the text."""
    form = AnswerForm({"text": ""}, {"file": pdf(name)}, learner=by)
    assert not form.is_valid()
    return form.kept_uploads["file"].reference


def test_a_kept_file_is_only_for_whom_it_was_signed(learner):
    reference = _kept_reference(learner)
    mine = AnswerForm({"text": "Here", "file_kept": reference}, learner=learner)
    assert mine.is_valid()
    assert mine.cleaned_data["file"].name == "attendance.pdf"
    mine.discard_used_uploads()
    reference = _kept_reference(learner)
    for by, token in (
        (UserFactory(), reference),
        (learner, reference[:-2] + "xx"),
        (learner, "junk"),
    ):
        form = AnswerForm({"text": "Here", "file_kept": token}, learner=by)
        assert not form.is_valid()
        assert form.errors["file"] == [str(AnswerForm.refused_message)]
        assert form["file_kept"].value() == ""


# --- the learner's pages ------------------------------------------------------------------------


def test_the_learner_lists_their_open_requests_only(client, sample, learner, accreditation):
    other = UserFactory()
    _record(accreditation, other)
    client.force_login(learner)
    html = client.get(reverse("audit-requests")).content.decode()
    assert QUESTION in html
    assert request_url(sample) in html
    assert "Not answered yet" in html
    answers.answer_request(sample=sample, by=learner, text="Here it is.")
    html = client.get(reverse("audit-requests")).content.decode()
    assert "Answered: waiting for the auditor" in html
    client.force_login(other)
    html = client.get(reverse("audit-requests")).content.decode()
    assert QUESTION not in html
    assert "You have no open request from an auditor." in html


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_takes_the_same_queries_for_more_requests(
    client, accreditation, accreditor, learner, django_assert_num_queries, *, count
):
    for _ in range(count):
        _record(accreditation, learner)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=count, seed=1)
    for sample in audit_round.samples.all():
        rounds.decide(sample=sample, decision="more_information", notes="?", by=accreditor)
        answers.answer_request(sample=sample, by=learner, text="Here")
    client.force_login(learner)
    client.get(reverse("audit-requests"))
    # session, user, the requests, the navigation's roles (accreditor, memberships); the menu's
    # to-do total is cached from the first visit
    with django_assert_num_queries(5):
        response = client.get(reverse("audit-requests"))
    assert len(response.context["rows"]) == count


def test_the_request_page_is_a_404_for_anyone_but_the_owner(client, sample, accreditor):
    url = request_url(sample)
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    for someone in (UserFactory(), accreditor):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Mine"}).status_code == 404
    assert not AuditAnswer.objects.exists()


def test_the_learner_answers_with_a_file(client, sample, learner):
    client.force_login(learner)
    page = client.get(request_url(sample)).content.decode()
    assert QUESTION in page
    response = client.post(request_url(sample), {"text": "Here it is.", "file": pdf()})
    assert response.status_code == 302
    answer = AuditAnswer.objects.get()
    page = client.get(request_url(sample)).content.decode()
    assert "Your answer is sent to the auditor." in page
    assert "Here it is." in page
    download = client.get(reverse("audit-answer-file", args=[answer.public_id]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 sheet"
    client.force_login(UserFactory())
    assert client.get(reverse("audit-answer-file", args=[answer.public_id])).status_code == 404


def test_a_valid_file_is_kept_when_the_form_fails_for_another_reason(client, sample, learner):
    client.force_login(learner)
    response = client.post(request_url(sample), {"text": "", "file": pdf()})
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == ["Write your answer."]
    page = response.content.decode()
    assert "Your file attendance.pdf is kept; choose another to replace it." in page
    reference = response.context["form"].kept_uploads["file"].reference
    assert f'name="file_kept" value="{reference}"' in page
    assert not AuditAnswer.objects.exists()
    response = client.post(request_url(sample), {"text": "Here it is.", "file_kept": reference})
    assert response.status_code == 302
    answer = AuditAnswer.objects.get()
    assert answer.file.name.startswith(f"audit/answers/{timezone.now():%Y}/")  # its own path
    assert answer.file_name == "attendance.pdf"
    with answer.file.open("rb") as file:
        assert file.read() == b"%PDF-1.4 sheet"
    path = signing.loads(reference, salt="lms.uploads.kept")["path"]
    assert not default_storage.exists(path)  # the temporary copy is gone once used


def test_a_new_file_replaces_the_kept_one(client, sample, learner):
    client.force_login(learner)
    response = client.post(request_url(sample), {"text": "", "file": pdf("first.pdf")})
    reference = response.context["form"].kept_uploads["file"].reference
    client.post(
        request_url(sample), {"text": "Here", "file": pdf("second.pdf"), "file_kept": reference}
    )
    assert AuditAnswer.objects.get().file_name == "second.pdf"


def test_a_file_of_another_kind_is_refused_on_its_field_and_not_kept(client, sample, learner):
    client.force_login(learner)
    response = client.post(request_url(sample), {"text": "Here", "file": pdf("run.exe")})
    assert response.status_code == 400
    assert "Upload one of these kinds of file" in response.context["form"].errors["file"][0]
    assert response.context["form"].kept_uploads == {}
    assert "is kept" not in response.content.decode()
    assert not AuditAnswer.objects.exists()


def test_someone_elses_kept_file_is_refused_with_a_clear_error(client, sample, learner):
    theirs = _kept_reference(UserFactory())
    client.force_login(learner)
    response = client.post(request_url(sample), {"text": "Here", "file_kept": theirs})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file you chose before can no longer be used" in page
    assert '<a href="#id_file">' in page
    assert "is kept" not in page
    assert not AuditAnswer.objects.exists()


def test_a_closed_round_says_so_and_takes_no_answer(client, sample, learner, accreditor):
    rounds.close_round(audit_round=sample.round, by=accreditor)
    client.force_login(learner)
    page = client.get(request_url(sample)).content.decode()
    assert "This audit round is closed: you can no longer answer." in page
    assert "Send my answer" not in page
    response = client.post(request_url(sample), {"text": "Late"}, follow=True)
    assert response.status_code == 200
    assert "This request is closed: your answer was not sent." in response.content.decode()
    assert not AuditAnswer.objects.exists()


def test_my_certificates_links_to_the_open_request(client, sample, learner):
    client.force_login(learner)
    html = client.get(reverse("my-certificates:list")).content.decode()
    assert request_url(sample) in html
    assert "Answer the auditor" in html


# --- the auditor's side ---------------------------------------------------------------------


def test_the_auditor_reads_the_answer_and_downloads_its_file_logged(
    client, sample, learner, accreditor
):
    answer = answers.answer_request(sample=sample, by=learner, text="Here it is.", file=pdf())
    client.force_login(accreditor)
    round_page = client.get(reverse("audit-round", args=[sample.round.public_id]))
    assert "Answered, awaiting your decision" in round_page.content.decode()
    record_page = client.get(reverse("audit-record", args=[sample.record.public_id]))
    html = record_page.content.decode()
    assert "Here it is." in html
    url = reverse("audit-round-answer-file", args=[sample.round.public_id, answer.public_id])
    assert url in html
    AccessLogEntry.objects.all().delete()
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 sheet"
    (entry,) = AccessLogEntry.objects.all()
    assert (entry.user, entry.learner, entry.action) == (
        accreditor,
        learner,
        AccessAction.VIEW_RECORD,
    )
    assert str(answer.public_id) in entry.detail


def test_another_body_or_the_learner_cannot_use_the_auditors_download(
    client, sample, learner, accreditor
):
    answer = answers.answer_request(sample=sample, by=learner, text="Here", file=pdf())
    outsider = UserFactory()
    add_accreditor(body=AccreditingBodyFactory(), user=outsider)
    url = reverse("audit-round-answer-file", args=[sample.round.public_id, answer.public_id])
    for someone in (outsider, learner):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        html = client.get(reverse("audit-record", args=[sample.record.public_id]))
        assert html.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_cpd_profile_request_is_answered_and_shown_on_the_profile_page(
    client, django_capture_on_commit_callbacks
):
    rule_set = RuleSetFactory(name="Psychologists' CPD")
    auditor = UserFactory(display_name="Ada Auditor")
    add_accreditor(body=rule_set.body, user=auditor)
    registration = CpdRegistrationFactory(rule_set=rule_set)
    audit_round = rounds.draw_round(rule_set=rule_set, by=auditor, size=1, seed=1)
    sample = rounds.decide(
        sample=audit_round.samples.get(), decision="more_information", notes="Why?", by=auditor
    )
    learner = registration.learner
    client.force_login(learner)
    listed = client.get(reverse("audit-requests")).content.decode()
    assert "Your CPD profile: Psychologists&#x27; CPD" in listed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(sample), {"text": "Because.", "file": pdf("notes.txt")})
    answer = AuditAnswer.objects.get()
    profile = reverse("audit-cpd-profile", args=[audit_round.public_id, sample.pk])
    assert f"{profile}#answers" in mail.outbox[0].body
    client.force_login(auditor)
    html = client.get(profile).content.decode()
    assert "Because." in html
    url = reverse("audit-round-answer-file", args=[audit_round.public_id, answer.public_id])
    assert url in html
    assert "Save the decision" in html
    AccessLogEntry.objects.all().delete()
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 sheet"
    (entry,) = AccessLogEntry.objects.all()
    assert (entry.action, entry.learner) == (AccessAction.VIEW_PROFILE, learner)


def test_a_file_stored_without_an_answer_is_not_served(client, sample, learner, accreditor):
    answer = AuditAnswer.objects.create(sample=sample, author=learner, text="No file")
    answer.file.save("x.pdf", ContentFile(b"%PDF"), save=False)  # never saved on the row
    client.force_login(accreditor)
    url = reverse("audit-round-answer-file", args=[sample.round.public_id, answer.public_id])
    assert client.get(url).status_code == 404
