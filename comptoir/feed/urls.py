from django.urls import path

from comptoir.feed import views, views_follow, views_more

app_name = "feed"

urlpatterns = [
    path("", views.for_me, name="home"),
    path("all/", views.all_posts, name="all"),
    path("window/", views.window, name="window"),
    path("new-posts/", views.new_posts, name="new"),
    path("new/", views.post_new, name="new_post"),
    path("<int:pk>/", views.post_detail, name="post"),
    path("<int:pk>/edit/", views.post_edit, name="edit"),
    path("<int:pk>/history/", views.post_history, name="history"),
    path("<int:pk>/delete/", views.post_delete, name="delete"),
    path("<int:pk>/like/", views.like, name="like"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/congratulate/", views.congratulate, name="congratulate"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/raise/", views_more.recommendation_raise, name="raise"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/follow/", views.follow, name="follow"),
    path("topics/<int:pk>/follow/", views.follow_topic, name="follow_topic"),
    path("recommendations/", views_more.recommendation_inbox, name="recommendations"),
    path("recommendations/<int:pk>/", views_more.recommendation_detail, name="recommendation"),
    path("recommendations/<int:pk>/move/", views_more.recommendation_move, name="recommendation_move"),
    path("recommendations/<int:pk>/follow/", views_more.recommendation_follow, name="recommendation_follow"),
    path("search/", views_more.search, name="search"),
    path("moderation/", views_more.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", views_more.moderation_act, name="moderate"),
    path("following/", views_follow.following, name="following"),
    path("mentions/", views_follow.mentions, name="mentions"),
]
