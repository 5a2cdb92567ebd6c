from django.urls import URLPattern, URLResolver, path

from comptoir.customers import views, views_agreements

app_name = "customers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.account_list, name="account_list"),
    path("mine/", views.my_accounts, name="my_accounts"),
    path("<int:pk>/", views.account_detail, name="account"),
    path("<int:pk>/owner/", views.account_reassign, name="account_reassign"),
    path("<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("sites/<int:pk>/status/", views.site_status, name="site_status"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views_agreements.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", views_agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/sites/group/", views_agreements.agreement_add_group_sites, name="agreement_add_group_sites"),
    path("agreements/<int:pk>/sites/remove/", views_agreements.agreement_sites_to_remove, name="agreement_sites_to_remove"),
    path("sites/<int:pk>/remove/", views_agreements.site_remove, name="site_remove"),
]
