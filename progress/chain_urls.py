"""The record chain's published head, mounted at the site root by lms.urls."""

from django.urls import path

from progress import chain_views

urlpatterns = [
    path("records/chain-head/", chain_views.chain_head_page, name="chain-head"),
    path("api/records/chain-head", chain_views.ChainHeadView.as_view(), name="chain-head-api"),
]
