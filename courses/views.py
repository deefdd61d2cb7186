"""Pages of the courses app: the catalogue, a course, and the package content files."""

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils._os import safe_join
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from courses import content, samples, selectors
from courses.forms import CatalogueFilterForm, CourseSettingsForm, ImportCourseForm
from courses.launch import (
    PLATFORM_TRACKED,
    LaunchError,
    fetch_auth_token,
    launch_unit,
    mark_platform_unit_done,
    open_platform_unit,
)
from courses.models import (
    Course,
    CourseStatus,
    CourseUnit,
    Enrolment,
    JourneyEnrolment,
    LaunchMode,
    LearningJourney,
)
from courses.ports import certificate_lookup, course_sections, course_standing, unit_states
from courses.services import (
    EnrolmentRefused,
    PackageError,
    content_root,
    enrol_in_journey,
    enrol_learner,
    import_cmi5_package,
    update_course_settings,
)
from lms.api import AuthenticatedHttpRequest

PAGE_SIZE = 20
RECENT_COURSES = 20  # the import page's list of courses, to reach their settings
DRAFTS_SHOWN = 50  # the import page's drafts, which the staff's to-do counts


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    courses = selectors.courses_for_catalogue(**filters)
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    language = translation.get_language() or "en"
    journeys = (
        [
            (j.slug, j.title_in(language), j.summary_in(language))
            for j in selectors.journeys_for_catalogue(**filters)[:6]
        ]
        if page.number == 1
        else []
    )
    return render(
        request,
        "courses/catalogue.html",
        {
            "form": form,
            "page": page,
            "entries": [selectors.catalogue_entry(c, language) for c in page.object_list],
            "journeys": journeys,
            "query_string": request.GET.copy().urlencode() if request.GET else "",
        },
    )


@require_GET
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(
        Course.objects.prefetch_related("themes"),
        slug=slug,
        status=CourseStatus.PUBLISHED,
    )
    language = translation.get_language() or "en"
    units = list(course.units.filter(is_active=True).order_by("index"))
    enrolment = (
        Enrolment.objects.filter(course=course, learner=request.user).first()
        if request.user.is_authenticated
        else None
    )
    states = unit_states(enrolment=enrolment) if enrolment is not None else {}
    standing = course_standing(enrolment=enrolment) if enrolment is not None else None
    certificate = (
        certificate_lookup()
        .certificates_for(learner=request.user, course_ids=[course.pk])
        .get(course.pk)
        if standing is not None and standing.state == "completed"
        else None
    )
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "enrolled": enrolment is not None,
            "entry": selectors.catalogue_entry(course, language),
            "units": [
                (unit, unit.title_in(language, course.source_language), states.get(unit.pk))
                for unit in units
            ],
            "standing": standing,
            "certificate": certificate,
            "sections": course_sections(request=request, course=course),
        },
    )


@xframe_options_sameorigin  # the player frames AnyWindow units from the same origin
@require_GET
def content_file(request: HttpRequest, path: str) -> FileResponse:
    """A file of an imported package, from the site's own origin (cmi5 §14: AUs relative to
    the package). safe_join refuses paths that leave the content root."""
    readable = content.readable_path(path)
    if readable is None:
        raise Http404  # a protected course's file without a valid signed path, or no course
    try:
        full = Path(safe_join(content_root(), readable))
    except Exception as exc:
        raise Http404 from exc
    if not full.is_file():
        raise Http404
    content_type, encoding = mimetypes.guess_type(full.name)
    response = FileResponse(
        full.open("rb"), content_type=content_type or "application/octet-stream"
    )
    if encoding:
        response["Content-Encoding"] = encoding
    # Package files never change under a version's path: cache them for long.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    # The package's own pages run sandboxed in an opaque origin: the files they load with
    # fetch() or as modules are cross-origin to them.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def import_course(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff upload a cmi5 package (the same import as the command and the API)."""
    if not request.user.is_staff:
        raise Http404
    errors: list[str] = []
    form = ImportCourseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = import_cmi5_package(
                source=form.cleaned_data["package"], status=CourseStatus.DRAFT
            )
        except PackageError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _("Imported %(title)s, version %(version)s. Check its settings.")
                % {"title": result.course, "version": result.course.version},
            )
            return redirect("courses:settings", slug=result.course.slug)
    language = translation.get_language() or "en"
    recent = [
        (course, course.title_in(language))
        for course in Course.objects.order_by("-updated_at", "-pk")[:RECENT_COURSES]
    ]
    # The drafts (the staff's to-do links here): imported, not yet published.
    drafts = [
        (course, course.title_in(language))
        for course in Course.objects.filter(status=CourseStatus.DRAFT).order_by(
            "-updated_at", "-pk"
        )[:DRAFTS_SHOWN]
    ]
    return render(
        request,
        "courses/import.html",
        # The package's errors are no form's: the title says "Error:" all the same.
        {
            "form": form,
            "errors": errors,
            "recent": recent,
            "drafts": drafts,
            "page_has_errors": bool(errors),
        },
    )


@login_required
@require_GET
def sample_package(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A small cmi5 package to try the import with (staff, as the import page)."""
    if not request.user.is_staff:
        raise Http404
    return HttpResponse(
        samples.sample_package(),
        content_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="practica-sample-course.zip"'},
    )


@login_required
def course_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Staff set a course's texts, CPD hours, themes, professions, level, image, price and
    status (the same permission as the import)."""
    if not request.user.is_staff:
        raise Http404
    course = get_object_or_404(Course, slug=slug)
    form = CourseSettingsForm(request.POST or None, request.FILES or None, course=course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        course = update_course_settings(
            course=course,
            title=form.language_map("title"),
            summary=form.language_map("summary"),
            cpd_hours=data["cpd_hours"],
            themes=data["themes"],
            professions=data["professions"],
            level=data["level"],
            price=data["price"],
            is_paid=data["is_paid"],
            status=data["status"],
            image=data["image"],
            clear_image=data.get("clear_image", False),
        )
        messages.success(request, _("The settings of %(title)s are saved.") % {"title": course})
        return redirect("courses:settings", slug=course.slug)
    language = translation.get_language() or "en"
    return render(
        request,
        "courses/settings.html",
        {"course": course, "title": course.title_in(language), "form": form},
    )


@csrf_exempt  # called by the AU's JavaScript, from the content origin, without a cookie
@require_POST
def cmi5_fetch(request: HttpRequest, token: str) -> JsonResponse:
    """cmi5 §8.2: the fetch URL. Always 200 with JSON, an auth-token or an error-code."""
    # The AU runs in the content sandbox (an opaque origin, lms/security.py): it may read the
    # answer across origins. The one-time fetch token in the URL is what guards it.
    return JsonResponse(
        fetch_auth_token(fetch_token=token),
        headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"},
    )


@login_required
@require_POST
def enrol(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug, status=CourseStatus.PUBLISHED)
    try:
        enrol_learner(learner=request.user, course=course)
    except EnrolmentRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("You are enrolled."))
    return redirect("courses:detail", slug=slug)


@login_required
@require_POST
def launch(request: AuthenticatedHttpRequest, slug: str, index: int) -> HttpResponse:
    """Launch a unit for the signed-in learner: a redirect to the AU (cmi5 §8.1, OwnWindow
    and AnyWindow alike), coming back to the course page."""
    unit = get_object_or_404(
        CourseUnit.objects.select_related("course"),
        course__slug=slug,
        course__status=CourseStatus.PUBLISHED,
        index=index,
        is_active=True,
    )
    return_url = request.build_absolute_uri(reverse("courses:detail", args=[slug]))
    learner = request.user
    try:
        if unit.kind in PLATFORM_TRACKED:
            if request.POST.get("done"):
                mark_platform_unit_done(learner=learner, unit=unit)
                messages.success(request, _("Marked as done."))
                return redirect("courses:detail", slug=slug)
            return _opened(request, unit, open_platform_unit(learner=learner, unit=unit))
        # cmi5 §10.2.2: Browse to look around, Review to revisit; neither records a result.
        mode = request.POST.get("mode", LaunchMode.NORMAL)
        started = launch_unit(
            learner=learner,
            unit=unit,
            return_url=return_url,
            launch_mode=mode if mode in LaunchMode.values else LaunchMode.NORMAL,
        )
    except LaunchError as error:
        messages.error(request, str(error))
        return redirect("courses:detail", slug=slug)
    return _opened(request, unit, started.url)


def _launch_key(unit: CourseUnit) -> str:
    return f"courses-launch-{unit.pk}"


def _opened(request: HttpRequest, unit: CourseUnit, url: str) -> HttpResponse:
    """Keep where the launch leads in the session and show the unit's page (Post/Redirect/Get:
    reloading it launches nothing again)."""
    request.session[_launch_key(unit)] = url
    return redirect("courses:unit", slug=unit.course.slug, index=unit.index)


@login_required
@require_GET
def unit_page(request: AuthenticatedHttpRequest, slug: str, index: int) -> HttpResponse:
    """The page a launch leads to and the learner returns to, without scripts (the site's CSP):
    a link that opens the content, what to do when it needs JavaScript or does not load, and
    the way back to the course page. Only for a unit just launched by this learner."""
    unit = get_object_or_404(
        CourseUnit.objects.select_related("course"),
        course__slug=slug,
        course__status=CourseStatus.PUBLISHED,
        index=index,
        is_active=True,
    )
    url = request.session.get(_launch_key(unit))
    if not url:
        return redirect("courses:detail", slug=slug)
    language = translation.get_language() or "en"
    return render(
        request,
        "courses/unit.html",
        {
            "course": unit.course,
            "course_title": unit.course.title_in(language),
            "unit": unit,
            "title": unit.title_in(language),
            "url": url,
            "platform": unit.kind in PLATFORM_TRACKED,
        },
    )


@require_GET
def journey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    journey = get_object_or_404(LearningJourney, slug=slug, status=CourseStatus.PUBLISHED)
    language = translation.get_language() or "en"
    steps = list(journey.steps.select_related("course").order_by("order"))
    following = (
        request.user.is_authenticated
        and JourneyEnrolment.objects.filter(journey=journey, learner=request.user).exists()
    )
    return render(
        request,
        "courses/journey_detail.html",
        {
            "journey": journey,
            "title": journey.title_in(language),
            "summary": journey.summary_in(language),
            "audience": journey.audience_in(language),
            "steps": [(step, step.course.title_in(language)) for step in steps],
            "following": following,
        },
    )


@login_required
@require_POST
def journey_join(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    journey = get_object_or_404(LearningJourney, slug=slug, status=CourseStatus.PUBLISHED)
    enrol_in_journey(learner=request.user, journey=journey)
    messages.success(request, _("You follow this journey now."))
    return redirect("courses:journey", slug=slug)
