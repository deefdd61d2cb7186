"""The public face of the progress app for the apps above it (docs/style.md, "Boundaries
between apps")."""

from progress.chain import append_entry as append_chain_entry
from progress.chain import canonical as canonical_json
from progress.chain import register_live_reader
from progress.signals import completion_recorded
from progress.xapi.keys import registration_key

__all__ = [
    "append_chain_entry",
    "canonical_json",
    "completion_recorded",
    "register_live_reader",
    "registration_key",
]
