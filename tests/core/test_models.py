from __future__ import annotations

import attrs
import pytest

from gpuport_collectors import Availability, GPUInstance
from gpuport_collectors.testing import make_instance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HIGH", Availability.HIGH),
        ("High", Availability.HIGH),
        ("  medium ", Availability.MEDIUM),
        ("Not Available", Availability.NOT_AVAILABLE),
        ("not_available", Availability.NOT_AVAILABLE),
        ("NOT-AVAILABLE", Availability.NOT_AVAILABLE),
        ("low", Availability.LOW),
    ],
)
def test_availability_parses_common_spellings(text: str, expected: Availability) -> None:
    assert Availability.parse(text) is expected


@pytest.mark.parametrize("bad", ["Plenty", "", 3, None])
def test_availability_rejects_unknown(bad: object) -> None:
    with pytest.raises(ValueError, match="NOT_AVAILABLE, LOW, MEDIUM, HIGH"):
        Availability.parse(bad)  # type: ignore[arg-type]


def test_availability_is_ordered_and_written_as_its_name() -> None:
    levels = [Availability.HIGH, Availability.NOT_AVAILABLE, Availability.MEDIUM, Availability.LOW]
    assert sorted(levels) == [
        Availability.NOT_AVAILABLE,
        Availability.LOW,
        Availability.MEDIUM,
        Availability.HIGH,
    ]
    assert Availability.MEDIUM >= Availability.MEDIUM > Availability.LOW
    assert str(Availability.NOT_AVAILABLE) == "NOT_AVAILABLE"
    with pytest.raises(TypeError):
        _ = Availability.LOW < 2  # type: ignore[operator]


def test_instance_is_frozen_slotted_and_unknowns_are_null() -> None:
    instance = GPUInstance(
        provider="RunPod",
        instance_type="1x A40",
        accelerator_name="A40",
        region="EU-SE-1",
        accelerator_count=1,
        availability=Availability.LOW,
        collected_at=0,
    )
    assert instance.spot_price is None and instance.price is None and instance.quantity is None
    assert not hasattr(instance, "__dict__")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        instance.price = 1.0  # type: ignore[misc]


def test_raw_data_is_excluded_from_equality_and_repr() -> None:
    a = make_instance(raw_data={"secret_looking": "x"})
    b = make_instance(raw_data={})
    assert a == b
    assert "secret_looking" not in repr(a)
