"""The shared form pattern (docs/style.md, Forms; lms/templatetags/practica_forms.py,
lms/uploads.py): the error summary at the top of a page with a failed form, "Error:" in its
title, each error next to its field and tied to the input, and a valid file kept across a
failed submit."""

import re
from datetime import timedelta

import pytest
import time_machine
from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import formset_factory
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from lms.uploads import KEPT_DIR, KeptUploadsForm, purge_kept_uploads
from tests.lms.factories import UserFactory
from tests.lms.test_accounts import SIGNUP

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert found, "no error summary"
    return found.group(0)


# --- pages --------------------------------------------------------------------------------------


def test_a_failed_sign_up_lists_its_errors_as_links_to_the_fields(client):
    response = client.post(
        reverse("signup"), {**SIGNUP, "email": "not an address", "password2": "other words"}
    )
    html = response.content.decode()
    summary = _summary(html)
    assert 'role="alert"' in summary
    assert 'tabindex="-1"' in summary
    assert "There is a problem" in summary
    assert summary.index('href="#id_email"') < summary.index('href="#id_password2"')
    assert re.search(r"<title>Error: [^<]*Sign up", html)
    # Next to the field, with a prefix for screen readers, tied to the input.
    assert re.search(
        r'<p class="error" id="id_email_error"><span class="visually-hidden">Error:</span> ', html
    )
    email_input = re.search(r'<input type="email" name="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in email_input
    assert "id_email_error" in re.search(r'aria-describedby="([^"]*)"', email_input).group(1)
    assert html.count('id="id_email_error"') == 1


def test_a_page_without_errors_has_no_summary_nor_error_title(client):
    html = client.get(reverse("signup")).content.decode()
    assert "error-summary" not in html
    assert "<title>Error:" not in html
    assert 'aria-invalid="true"' not in html


def test_an_error_of_the_whole_form_is_listed_without_a_link(client):
    UserFactory(email="someone@example.org")
    response = client.post(
        reverse("login"), {"username": "someone@example.org", "password": "wrong one"}
    )
    summary = _summary(response.content.decode())
    assert "<li>" in summary
    assert "href=" not in summary
    assert "<title>Error:" in response.content.decode()


# --- the template tags --------------------------------------------------------------------------


class Sample(forms.Form):
    name = forms.CharField(label="Name")
    colour = forms.ChoiceField(
        label="Colour", choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect
    )
    token = forms.CharField(widget=forms.HiddenInput)


PAGE = Template(
    "{% load practica_forms %}<title>{% error_title_prefix %}Page</title>{% error_summary %}"
)


def test_the_summary_finds_forms_in_rows_and_links_groups_to_their_first_input():
    bound = Sample({"name": "", "colour": ""}, prefix="s7")
    untouched = Sample(prefix="s8")
    html = PAGE.render(Context({"rows": [("sample", bound, None), ("other", untouched, None)]}))
    assert html.startswith("<title>Error: Page</title>")
    assert '<a href="#id_s7-name">This field is required.</a>' in html
    assert '<a href="#id_s7-colour_0">This field is required.</a>' in html
    assert "<li>This field is required.</li>" in html  # the hidden field: nowhere to go
    assert "s8" not in html


def test_a_form_may_name_the_target_of_a_field_it_renders_itself():
    bound = Sample({"name": "", "colour": "red", "token": "x"})
    bound.error_anchors = {"name": "people"}
    assert '<a href="#people">' in PAGE.render(Context({"form": bound}))


def test_a_formsets_own_errors_are_listed():
    Samples = formset_factory(Sample, max_num=1, validate_max=True)  # noqa: N806 - a class
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    data |= {
        f"form-{i}-{k}": v
        for i in (0, 1)
        for k, v in {"name": "a", "colour": "red", "token": "t"}.items()
    }
    html = PAGE.render(Context({"formset": Samples(data)}))
    assert "Please submit at most 1 form." in html


def test_a_page_with_errors_of_its_own_says_so_in_its_title():
    assert PAGE.render(Context({"page_has_errors": True})).startswith("<title>Error: Page")


def test_unbound_forms_and_no_forms_give_nothing():
    assert PAGE.render(Context({"form": Sample()})) == "<title>Page</title>\n"
    assert PAGE.render(Context({})) == "<title>Page</title>\n"


# --- kept uploads -------------------------------------------------------------------------------


class Upload(KeptUploadsForm):
    kept_upload_fields = ("attachment",)
    title = forms.CharField()
    attachment = forms.FileField(required=False)

    def __init__(self, *args, owner="1", **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_uploads_for(owner)


def _failed(owner="1", name="report.pdf", content=b"%PDF-1.4 report"):
    form = Upload({"title": ""}, {"attachment": SimpleUploadedFile(name, content)}, owner=owner)
    assert not form.is_valid()
    return form


def test_a_valid_file_of_a_failed_submit_is_kept_and_named():
    form = _failed()
    kept = form.kept_uploads["attachment"]
    assert kept.name == "report.pdf"
    assert form["attachment_kept"].value() == kept.reference
    html = Template('{% include "lms/form_fields.html" %}').render(Context({"form": form}))
    assert "Your file report.pdf is kept; choose another to replace it." in html
    assert f'name="attachment_kept" value="{kept.reference}"' in html


def test_the_kept_file_is_used_on_the_next_submit_and_discarded_after():
    reference = _failed().kept_uploads["attachment"].reference
    form = Upload({"title": "Done", "attachment_kept": reference})
    assert form.is_valid()
    with form.cleaned_data["attachment"].open("rb") as kept:
        assert kept.read() == b"%PDF-1.4 report"
    assert form.cleaned_data["attachment"].name == "report.pdf"
    assert default_storage.listdir(KEPT_DIR)[0]
    form.discard_used_uploads()
    assert default_storage.listdir(KEPT_DIR) == ([], [])


def test_a_file_with_its_own_error_is_not_kept():
    class Small(Upload):
        def clean_attachment(self):
            raise forms.ValidationError("Too big.")

    form = Small({"title": ""}, {"attachment": SimpleUploadedFile("a.txt", b"x")})
    assert not form.is_valid()
    assert form.kept_uploads == {}
    assert not default_storage.exists(KEPT_DIR) or default_storage.listdir(KEPT_DIR) == ([], [])


@pytest.mark.parametrize("how", ["another owner", "forged", "expired"])
def test_a_kept_reference_that_cannot_be_trusted_is_a_clear_error(how):
    reference = _failed().kept_uploads["attachment"].reference
    owner = "2" if how == "another owner" else "1"
    if how == "forged":
        reference = reference[:-4] + ("aaaa" if not reference.endswith("aaaa") else "bbbb")
    with time_machine.travel(timezone.now() + timedelta(days=2 if how == "expired" else 0)):
        form = Upload({"title": "Done", "attachment_kept": reference}, owner=owner)
        assert not form.is_valid()
    assert form.errors["attachment"] == [str(Upload.refused_message)]
    assert form["attachment_kept"].value() == ""


def test_unused_kept_files_are_purged_once_too_old():
    _failed()
    assert purge_kept_uploads() == 0
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert purge_kept_uploads() == 1
    assert default_storage.listdir(KEPT_DIR) == ([], [])
