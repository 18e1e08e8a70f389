"""Staff pages of expenditure-based assistance and payments (namespace `assistance_calc`), under /assistance/."""

from zhenwu.assistance import views_calc

app_name = "assistance_calc"
urlpatterns = views_calc.urlpatterns
