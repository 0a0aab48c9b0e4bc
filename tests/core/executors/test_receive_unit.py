"""What every out-of-process worker does with a unit it cannot read."""

from __future__ import annotations

import pickle

from nnbench.executors.events import UnitEvent
from nnbench.executors.remote import receive_unit


def test_a_readable_unit_comes_back_as_it_was():
    assert receive_unit(pickle.dumps({"unit": 1}), 0, "here") == {"unit": 1}


def test_a_unit_naming_a_module_missing_here_is_one_done_event_naming_the_worker():
    payload = pickle.dumps(UnitEvent).replace(b"nnbench.executors.events",  # same length
                                              b"driver_only_module_xyz12")
    event = receive_unit(payload, 3, "on dask worker tcp://10.0.0.7:4000")
    assert isinstance(event, UnitEvent) and (event.kind, event.unit) == ("done", 3)
    assert event.error_type == "ModuleNotFoundError"
    assert event.error == ("on dask worker tcp://10.0.0.7:4000: cannot receive the unit: "
                           "ModuleNotFoundError: No module named 'driver_only_module_xyz12'")
