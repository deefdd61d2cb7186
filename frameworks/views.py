"""Pages of the frameworks app."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks.case import CaseError, import_file


class ImportFrameworkForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CASE JSON or Moodle CSV)"))


@login_required
def import_framework(request: HttpRequest) -> HttpResponse:
    """Staff upload a framework (the same import as the command and the API)."""
    if not request.user.is_staff:
        raise Http404
    errors: list[str] = []
    form = ImportFrameworkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            framework = import_file(form.cleaned_data["file"].read())
        except CaseError as error:
            errors = error.errors
        else:
            messages.success(request, _("Imported %(title)s.") % {"title": framework.title})
            return redirect("frameworks:import")
    return render(request, "frameworks/import.html", {"form": form, "errors": errors})
