"""Staff pages of 一队执法 (namespace ``enforcement``, mounted at /enforcement/)."""

from django.urls import path

from zhenwu.enforcement import views_records
from zhenwu.enforcement import views_staff as views

app_name = "enforcement"

urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/export.xlsx", views.case_export, name="cases_export"),
    path("cases/new/summary/", views.case_new_summary, name="case_new_summary"),
    path("cases/new/general/", views.case_new_general, name="case_new_general"),
    path("cases/<str:number>/", views.case_page, name="case"),
    path("cases/<str:number>/act/<slug:action>/", views.case_act, name="case_act"),
    path("cases/<str:number>/evidence/", views.case_evidence, name="case_evidence"),
    path("cases/<str:number>/records/<slug:kind>/", views_records.case_records, name="case_records"),
    path("review/", views.review_queue, name="review_queue"),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path("officers/", views.officer_list, name="officers"),
    path("officers/conflicts/", views.conflict_add, name="conflict_add"),
    path("squads/", views.squad_list, name="squads"),
    path("powers/", views.power_list, name="powers"),
    path("powers/import/", views.power_import, name="power_import"),
    path("powers/<str:code>/", views.power_versions, name="power"),
]
