"""What ``cases`` connects to in the app below it (``accounts``), called once from
``CasesConfig.ready``: when an organisation is deactivated or leaves a protection network,
the shares that rested on it end (DESIGN.md, "When access ends")."""

from __future__ import annotations

from django.db.models.signals import m2m_changed

from accounts.models import Organisation, ProtectionNetwork
from accounts.signals import organisation_deactivated


def _on_organisation_deactivated(sender, *, organisation, acting_user=None, **kwargs) -> None:
    from cases.services.sharing import shares_end_for_deactivated

    shares_end_for_deactivated(organisation=organisation)


def _on_network_members_changed(sender, *, instance, action, reverse, pk_set, **kwargs) -> None:
    """Members removed from a network (the admin's member list, or ``organisation.networks``):
    the shares only that network's consent covered are suspended."""
    from cases.services.sharing import shares_suspend_after_network_left

    if action != "post_remove" or not pk_set:
        return
    if reverse:  # organisation.networks.remove(network, ...)
        pairs = [(network, instance) for network in ProtectionNetwork.objects.filter(pk__in=pk_set)]
    else:  # network.members.remove(organisation, ...)
        pairs = [(instance, member) for member in Organisation.objects.filter(pk__in=pk_set)]
    for network, member in pairs:
        shares_suspend_after_network_left(network=network, organisation=member)


def _on_network_members_cleared(sender, *, instance, action, reverse, **kwargs) -> None:
    """``clear()`` names no members after the fact: take them before, suspend after."""
    if action == "pre_clear":
        related = instance.networks.all() if reverse else instance.members.all()
        instance._members_before_clear = set(related.values_list("pk", flat=True))
    elif action == "post_clear":
        pk_set = getattr(instance, "_members_before_clear", set())
        _on_network_members_changed(
            sender, instance=instance, action="post_remove", reverse=reverse, pk_set=pk_set
        )


def register() -> None:
    organisation_deactivated.connect(
        _on_organisation_deactivated, dispatch_uid="cases.organisation_deactivated"
    )
    through = ProtectionNetwork.members.through
    m2m_changed.connect(_on_network_members_changed, sender=through, dispatch_uid="cases.left")
    m2m_changed.connect(_on_network_members_cleared, sender=through, dispatch_uid="cases.cleared")
