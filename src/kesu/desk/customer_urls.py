from django.urls import path

from kesu.desk import customer_views

app_name = "customers"
urlpatterns = [
    path("", customer_views.customer_list_view, name="list"),
    path("<int:customer_id>/", customer_views.customer_detail_view, name="detail"),
]
