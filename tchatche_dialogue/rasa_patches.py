"""Speed fixes for Rasa 3.6.21, applied when Rasa loads the model (issue #13).

Rasa validates every answer of the action server with `jsonschema.validate()`, which first checks
the schema itself against the JSON Schema metaschema, at every call: a quarter of the Rasa
server's CPU under load (py-spy on `rasa run`, 10 senders). The validator is built and checked
once here; the answer is validated exactly as before (same schema, same error message).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


# Every event read back from the tracker store, or returned by the action server, finds its class
# by scanning all subclasses of Event (`rasa.shared.utils.common.all_subclasses`, recursive, with
# `inspect.isabstract` on each): 6 % of the Rasa server's CPU on the 20-message mix. A class once
# found by its name is remembered; an unknown name still goes through Rasa's own scan.
_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type[Event]] = {}


def _cached_resolve_by_type(
    type_name: str, default: type[Event] | None = None
) -> type[Event] | None:
    found = _event_classes.get(type_name)
    if found is None:
        found = _resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


Event.resolve_by_type = staticmethod(_cached_resolve_by_type)  # type: ignore[method-assign]
