"""RunPod datacenter ids to the Region SkyPilot's RunPod catalogue files them under.

SkyPilot's region is the datacenter's country: the first part of ``US-GA-1`` and
``CA-MTL-1``, the second after a continent (``EU-RO-1`` -> RO, ``EUR-IS-2`` -> IS,
``OC-AU-1`` -> AU, ``AP-JP-1`` -> JP, ``SEA-SG-1`` -> SG). The datacenter id itself is the
AvailabilityZone. A rule rather than a list, so a new datacenter needs no release.
"""

from __future__ import annotations

#: First parts of RunPod datacenter ids that name a continent rather than a country.
CONTINENTS = frozenset({"EU", "EUR", "OC", "AP", "SEA", "AF", "SA", "ME", "LATAM"})


def country_of(datacenter_id: str) -> str:
    """The country code SkyPilot uses as Region for a RunPod datacenter id."""
    parts = datacenter_id.split("-")
    if len(parts) >= 3 and parts[0].upper() in CONTINENTS:
        return parts[1].upper()
    return parts[0].upper()
