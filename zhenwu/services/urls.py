"""Staff pages of the service hall (namespace `services`): queues and case pages, 电子监察."""

from zhenwu.services import views_feedback, views_staff, views_supervision

app_name = "services"
urlpatterns = [*views_staff.urlpatterns, *views_supervision.urlpatterns, *views_feedback.urlpatterns]
