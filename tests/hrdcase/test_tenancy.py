"""The tenancy primitives fail closed and give one 404 for "missing" and "not yours"."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from hrdcase.api import ScopedViewSet
from hrdcase.tenancy import NEED_CHANGE, ScopeError, get_object_for
from tests.testapp.models import Note, NoteComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(org):
    return Note.objects.create(organisation=org, title="Meeting with the lawyer")


def test_it_refuses_an_unscoped_query(note):
    with pytest.raises(ScopeError):
        list(Note.objects.all())
    with pytest.raises(ScopeError):
        Note.objects.filter(title__startswith="M").count()
    with pytest.raises(ScopeError):
        Note.objects.exists()
    with pytest.raises(ScopeError):
        Note.objects.get(pk=note.pk)
    with pytest.raises(ScopeError):
        Note.objects.update(title="x")
    with pytest.raises(ScopeError):
        Note.objects.all().delete()


def test_it_shows_each_organisation_only_its_rows(note, officer, outsider):
    assert list(Note.objects.visible_to(officer)) == [note]
    assert list(Note.objects.visible_to(outsider)) == []
    assert Note.objects.visible_to(outsider).count() == 0


def test_it_shows_nothing_to_an_inactive_or_orgless_user(note, officer, django_user_model):
    officer.is_active = False
    assert list(Note.objects.visible_to(officer)) == []
    staff = django_user_model.objects.create_superuser("staff@example.org", "x" * 20)
    assert list(Note.objects.visible_to(staff)) == []


def test_it_keeps_the_scope_through_chained_calls(note, officer):
    queryset = Note.objects.visible_to(officer).filter(title__icontains="lawyer").order_by("-pk")
    assert list(queryset.values_list("title", flat=True)) == ["Meeting with the lawyer"]


def test_it_allows_related_managers_of_an_object_already_in_scope(note, officer):
    NoteComment.objects.create(organisation=note.organisation, note=note, text="follow up")
    loaded = Note.objects.visible_to(officer).get(pk=note.pk)
    assert [c.text for c in loaded.comments.all()] == ["follow up"]


def test_it_gives_the_same_404_for_missing_foreign_and_malformed_ids(note, outsider, officer):
    with pytest.raises(Http404):
        get_object_for(outsider, Note.objects.visible_to(outsider), note.pk)
    with pytest.raises(Http404):
        get_object_for(officer, Note.objects.visible_to(officer), uuid.uuid4())
    with pytest.raises(Http404):
        get_object_for(officer, Note.objects.visible_to(officer), "not-a-uuid")
    assert get_object_for(officer, Note.objects.visible_to(officer), note.pk) == note


def test_it_refuses_a_change_to_a_viewer(note, viewer):
    with pytest.raises(PermissionDenied):
        get_object_for(viewer, Note.objects.visible_to(viewer), note.pk, need=NEED_CHANGE)


def test_it_runs_model_validation_without_a_scope(note):
    Note(organisation=note.organisation, title="Second").full_clean()


def test_a_viewset_may_not_override_the_scoping():
    with pytest.raises(TypeError, match="get_queryset"):

        class Leaky(ScopedViewSet):
            def get_queryset(self):  # pragma: no cover - the class statement itself fails
                return Note.objects.unscoped()

    with pytest.raises(TypeError, match="get_object"):

        class AlsoLeaky(ScopedViewSet):
            def get_object(self):  # pragma: no cover
                return None


@pytest.mark.django_db
def test_every_scope_answers_nothing_to_a_member_of_a_deactivated_organisation():
    """One check (``member_in_force``) at the top of every ``visible_to``: a surviving session
    or a task holding the user object sees no tenant row once the organisation is closed."""
    from django.apps import apps

    from hrdcase.tenancy import TenantModel
    from tests.factories import UserFactory

    member = UserFactory()
    member.organisation.is_active = False
    scoped = [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and hasattr(model.objects, "visible_to")
    ]
    assert len(scoped) > 20
    leaking = [m.__name__ for m in scoped if not m.objects.visible_to(member).query.is_empty()]
    assert leaking == []
