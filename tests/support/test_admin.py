"""The support requests' admin page: platform staff read who asked whom, and can neither
add, change nor delete a request (a delete there would bypass the services' audit)."""

from __future__ import annotations

from django.urls import reverse

from support.models import SupportRequest
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.support.conftest import ask


def test_platform_staff_cannot_delete_a_support_request_in_the_admin(world):
    (support,) = ask(world)
    staff = UserFactory(is_staff=True, is_superuser=True, organisation=None)
    client = verified_client(staff)
    listing = client.get(reverse("admin:support_supportrequest_changelist"))
    assert listing.status_code == 200
    assert 'value="delete_selected"' not in listing.content.decode()
    url = reverse("admin:support_supportrequest_delete", args=[support.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert SupportRequest.objects.unscoped().filter(pk=support.pk).exists()
