from django.urls import path

from organisations.reports import views as views_reports

urlpatterns = [
    path("<uuid:public_id>/reports/team/", views_reports.team_report, name="team-report"),
    path("<uuid:public_id>/reports/team/remind", views_reports.remind_members, name="team-remind"),
    path("<uuid:public_id>/reports/summary/", views_reports.summary_report, name="summary-report"),
    path(
        "<uuid:public_id>/reports/coverage/", views_reports.coverage_report, name="coverage-report"
    ),
    path(
        "<uuid:public_id>/reports/exports/<uuid:export_id>/",
        views_reports.report_export,
        name="report-export",
    ),
    path(
        "<uuid:public_id>/reports/exports/<uuid:export_id>/download",
        views_reports.report_export_download,
        name="report-export-download",
    ),
]
