"""Pages of the frameworks app: the framework list and tree, a learner's competences and gaps,
the course's competence alignments (authoring), and the staff import."""

import json
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from courses.models import Course
from frameworks import selectors, services
from frameworks.case import CaseError
from frameworks.demo_data import child_protection_packages
from frameworks.models import (
    Alignment,
    AlignmentRelation,
    Competence,
    Framework,
    ProficiencyLevel,
    RoleProfile,
)
from frameworks.services import import_file
from lms.api import AuthenticatedHttpRequest


def _language() -> str:
    return translation.get_language() or "en"


class ImportFrameworkForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CASE JSON or Moodle CSV)"))


@login_required
@require_GET
def sample_framework(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A small CASE 1.0 package to try the import with: the demo's invented practice framework
    (written for Practica, AGPL-3.0-or-later)."""
    if not request.user.is_staff:
        raise Http404
    return HttpResponse(
        json.dumps(child_protection_packages()[0], ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="practica-sample-framework.json"'},
    )


@login_required
def import_framework(request: AuthenticatedHttpRequest) -> HttpResponse:
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
    return render(
        request,
        "frameworks/import.html",
        {"form": form, "errors": errors, "page_has_errors": bool(errors)},
    )


def framework_list(request: HttpRequest) -> HttpResponse:
    """Every framework, with its country, version and size (two queries)."""
    frameworks = list(Framework.objects.order_by("title"))
    sizes = dict(
        Competence.objects.values("framework_id")
        .annotate(n=Count("id"))
        .values_list("framework_id", "n")
    )
    return render(
        request,
        "frameworks/list.html",
        {"frameworks": [(f, sizes.get(f.pk, 0)) for f in frameworks]},
    )


def framework_detail(request: HttpRequest, identifier: Any) -> HttpResponse:
    """The framework as a tree (cut to stay light; deeper parts open on their own page), with
    a search that keeps the matches and their ancestors."""
    framework = get_object_or_404(Framework, identifier=identifier)
    search = request.GET.get("q", "").strip()[:200]
    root = None
    if node := request.GET.get("node"):
        try:
            wanted = uuid.UUID(node)
        except ValueError:
            raise Http404 from None
        root = Competence.objects.filter(framework=framework, identifier=wanted).first()
        if root is None:
            raise Http404
    roots, matches = selectors.framework_tree(framework, search=search, root=root)
    ancestors: list[Competence] = []
    if root is not None:
        ancestors = _ancestors(root)
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "roots": roots,
            "search": search,
            "matches": matches,
            "root": root,
            "ancestors": ancestors,
            "levels": framework.levels.all(),
            "language": _language(),
        },
    )


def _ancestors(competence: Competence) -> list[Competence]:
    """From the top of the tree down to the node's parent (one query for the framework)."""
    parents = dict(
        Competence.objects.filter(framework_id=competence.framework_id).values_list(
            "pk", "parent_id"
        )
    )
    chain: list[int] = []
    current = parents.get(competence.pk)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    found = Competence.objects.in_bulk(chain)
    return [found[pk] for pk in reversed(chain) if pk in found]


@login_required
def my_competences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's competence profile in a framework, and their gaps against a role."""
    language = _language()
    frameworks = list(Framework.objects.order_by("title"))
    roles = list(RoleProfile.objects.select_related("framework").order_by("slug"))
    framework = None
    role = None
    if slug := request.GET.get("role"):
        role = next((r for r in roles if r.slug == slug), None)
    if wanted := request.GET.get("framework"):
        framework = next((f for f in frameworks if str(f.identifier) == wanted), None)
    if framework is None and role is not None:
        framework = role.framework
    if framework is None:
        with_evidence = selectors.frameworks_with_evidence(request.user)
        framework = with_evidence[0] if with_evidence else (frameworks[0] if frameworks else None)
    profile = (
        selectors.competence_profile(request.user, framework, language=language)
        if framework
        else None
    )
    gaps = selectors.gap_analysis(request.user, role, language=language) if role else None
    return render(
        request,
        "frameworks/my_competences.html",
        {
            "frameworks": frameworks,
            "framework": framework,
            "roles": roles,
            "role": role,
            "profile": profile,
            "reached": _rows(profile, language) if profile else [],
            "partial": _partial_rows(profile, language) if profile else [],
            "gaps": gaps,
            "gap_rows": _gap_rows(gaps, language) if gaps else [],
            "target_count": len(gaps.met) + len(gaps.gaps) if gaps else 0,
            "language": language,
        },
    )


def _rows(profile: selectors.CompetenceProfile, language: str) -> list[dict[str, Any]]:
    return [
        {
            "entry": entry,
            "statement": entry.competence.statement_in(language),
            "level_name": profile.level_name(entry.level, language),
        }
        for entry in profile.reached
    ]


def _partial_rows(profile: selectors.CompetenceProfile, language: str) -> list[dict[str, Any]]:
    return [
        {"entry": entry, "statement": entry.competence.statement_in(language)}
        for entry in profile.partial_only
    ]


def _gap_rows(gaps: selectors.GapAnalysis, language: str) -> list[dict[str, Any]]:
    profile = gaps.competence_profile
    return [
        {
            "gap": gap,
            "statement": gap.competence.statement_in(language),
            "reached": profile.level_name(gap.reached, language) if gap.reached else _("none"),
            "target": profile.level_name(gap.target, language),
        }
        for gap in gaps.gaps
    ]


# --- authoring ----------------------------------------------------------------------------


def may_align(user: Any, course: Course) -> bool:
    """Staff, or whoever may change this course (a django-guardian object permission)."""
    return bool(
        user.is_authenticated
        and (
            user.is_staff
            or user.has_perm("courses.change_course")
            or user.has_perm("courses.change_course", course)
        )
    )


class AlignmentForm(forms.Form):
    """Align the course (or one of its units) to a competence. Without JavaScript the
    competence is found with the search box first, then picked from the matches."""

    target = forms.ChoiceField(label=gettext_lazy("What is aligned"))
    competence = forms.ModelChoiceField(
        queryset=Competence.objects.none(), label=gettext_lazy("Competence")
    )
    level = forms.IntegerField(
        label=gettext_lazy("Level"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("The rank on the framework's scale (1 is the lowest)."),
    )
    relation = forms.ChoiceField(label=gettext_lazy("Relation"), choices=AlignmentRelation.choices)

    def __init__(self, *args: Any, course: Course, search: str, language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units = list(course.units.filter(is_active=True).order_by("index"))
        self.units = {str(u.pk): u for u in units}
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            ("course", _("The whole course")),
            *[(str(u.pk), _("Unit: %(title)s") % {"title": u.title_in(language)}) for u in units],
        ]
        matches = Competence.objects.select_related("framework").order_by(
            "framework__title", "order", "human_coding_scheme"
        )
        if search:
            matches = matches.filter(
                Q(human_coding_scheme__istartswith=search)
                | Q(abbreviated_statement__icontains=search)
                | Q(full_statement__icontains=search)
            )
        competence = self.fields["competence"]
        competence.queryset = matches  # type: ignore[attr-defined]
        # The choices shown are capped; a submitted competence is checked against all matches.
        competence.choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *[
                (c.pk, f"{c.framework.title} · {c.human_coding_scheme} {c.short_name}"[:160])
                for c in matches[:200]
            ],
        ]


@login_required
def course_alignments(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The course's authoring page for competences: its alignments, add, change, remove."""
    course = get_object_or_404(Course, slug=slug)
    if not may_align(request.user, course):
        raise Http404
    language = _language()
    search = request.GET.get("q", "").strip()[:100]
    form = AlignmentForm(request.POST or None, course=course, search=search, language=language)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = form.units.get(data["target"])
        try:
            services.align(
                competence=data["competence"],
                course=None if unit else course,
                unit=unit,
                level=data["level"],
                relation=data["relation"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Alignment saved."))
            return redirect("frameworks:course-alignments", slug=course.slug)
    alignments = selectors.course_alignments(course)
    return render(
        request,
        "frameworks/course_alignments.html",
        {
            "course": course,
            "title": course.title_in(language),
            "rows": _alignment_rows(alignments, language),
            "form": form,
            "search": search,
        },
    )


def _alignment_rows(alignments: list[Alignment], language: str) -> list[dict[str, Any]]:
    levels = selectors.level_names([a.competence.framework_id for a in alignments])
    return [
        {
            "alignment": a,
            "target": a.unit.title_in(language) if a.unit else "",
            "statement": a.competence.statement_in(language),
            "level_name": _level_name(levels.get((a.competence.framework_id, a.rank)), a, language),
        }
        for a in alignments
    ]


def _level_name(level: ProficiencyLevel | None, alignment: Alignment, language: str) -> str:
    return level.name_in(language) if level else str(alignment.rank)


@login_required
@require_POST
def remove_alignment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug)
    if not may_align(request.user, course):
        raise Http404
    alignment = get_object_or_404(Alignment, Q(course=course) | Q(unit__course=course), pk=pk)
    services.remove_alignment(alignment=alignment)
    messages.success(request, _("Alignment removed."))
    return redirect("frameworks:course-alignments", slug=course.slug)


def course_section(*, request: Any, course: Course) -> SafeString:
    """On the course's catalogue page: the competences it develops (two queries)."""
    language = _language()
    alignments = selectors.course_alignments(course)
    return render_to_string(
        "frameworks/_course_competences.html",
        {
            "course": course,
            "rows": _alignment_rows(alignments, language),
            "may_align": may_align(request.user, course),
        },
        request=request,
    )
