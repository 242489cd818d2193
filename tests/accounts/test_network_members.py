"""A network's ``members_version`` counts its membership changes, from either side, so what
is computed from the members (the network dashboard's cached figures) is never read as the
new members' (accounts.hooks.count_members_change)."""

from __future__ import annotations

from accounts.models import ProtectionNetwork


def _version(network: ProtectionNetwork) -> int:
    network.refresh_from_db(fields=["members_version"])
    return network.members_version


def test_every_change_of_members_counts_from_either_side(org, other_org):
    network = ProtectionNetwork.objects.create(name="Andean desk")
    other = ProtectionNetwork.objects.create(name="Sahel desk")
    assert _version(network) == 0

    network.members.add(org)
    assert _version(network) == 1
    network.members.remove(org)
    assert _version(network) == 2
    other_org.networks.add(network, other)
    assert (_version(network), _version(other)) == (3, 1)
    other_org.networks.remove(other)
    assert (_version(network), _version(other)) == (3, 2)
    other_org.networks.clear()  # names no network after the fact
    assert (_version(network), _version(other)) == (4, 2)
    network.members.set([org, other_org])
    network.members.clear()
    assert _version(network) == 6
    assert not network.members.exists()


def test_a_change_of_another_network_leaves_this_one_s_version(org):
    network = ProtectionNetwork.objects.create(name="Andean desk")
    network.members.add(org)
    ProtectionNetwork.objects.create(name="Sahel desk").members.add(org)
    assert _version(network) == 1
