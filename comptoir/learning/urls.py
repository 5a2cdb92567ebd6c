from django.urls import URLPattern, URLResolver, path

from comptoir.learning import views, views_authoring

app_name = "learning"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.quiz_list, name="list"),
    path("results/", views.my_results, name="my_results"),
    path("new/", views_authoring.new, name="new"),
    path("import/", views_authoring.import_file, name="import"),
    path("import/template.csv", views_authoring.import_template, name="import_template"),
    path("bank/<int:topic_id>/", views_authoring.bank, name="bank"),
    path("bank/<int:topic_id>/new/", views_authoring.bank_question_new, name="bank_question_new"),
    path("bank/<int:topic_id>/<int:qid>/", views_authoring.bank_question_edit, name="bank_question_edit"),
    path(
        "bank/<int:topic_id>/<int:qid>/retire/",
        views_authoring.bank_question_retire,
        name="bank_question_retire",
    ),
    path("<int:pk>/", views.quiz_detail, name="detail"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/edit/", views_authoring.edit, name="edit"),
    path("<int:pk>/manage/", views_authoring.manage, name="manage"),
    path("<int:pk>/publish/", views_authoring.publish, name="publish"),
    path("<int:pk>/duplicate/", views_authoring.duplicate, name="duplicate"),
    path("<int:pk>/questions/new/", views_authoring.question_new, name="question_new"),
    path("<int:pk>/questions/<int:qid>/", views_authoring.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:qid>/delete/", views_authoring.question_delete, name="question_delete"),
    path("<int:pk>/analytics/", views_authoring.analytics_page, name="analytics"),
    path("<int:pk>/team-passes/", views_authoring.team_passes, name="team_passes"),
    path("<int:pk>/analytics.csv", views_authoring.analytics_csv, name="analytics_csv"),
    path("attempts/<int:pk>/", views.attempt, name="attempt"),
    path("attempts/<int:pk>/q/<int:position>/", views.question, name="question"),
    path("attempts/<int:pk>/result/", views.result, name="result"),
    path("attempts/<int:pk>/share/", views.share, name="share"),
    path("attempts/<int:pk>/congratulate/", views.congratulate, name="congratulate"),
]
