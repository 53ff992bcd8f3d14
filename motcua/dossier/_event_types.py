"""One model per event type, by topic in the ``_events_*`` modules (their union ``Event``, by
``type``, is in ``_event_union``).

A type's own fields are the facts of that hand-off; everything else is on the envelope
(:class:`~motcua.dossier._events.EventBase`). Adding a field with a default is compatible with
the rows already in the log; renaming or removing one is not.

No field holds free text or personal data: what a person wrote (a decision's reasons, a
withdrawal's, an agency's answer) is a comment in a table of its own, cited by ``comment_id``;
why the engine ended a dossier is a fixed ``reason_code``.
"""

from motcua.dossier import _events_checks, _events_dossier, _events_outcomes, _events_tasks
from motcua.dossier._events_checks import *  # noqa: F403
from motcua.dossier._events_dossier import *  # noqa: F403
from motcua.dossier._events_outcomes import *  # noqa: F403
from motcua.dossier._events_tasks import *  # noqa: F403

__all__ = []
__all__ += _events_dossier.__all__
__all__ += _events_checks.__all__
__all__ += _events_tasks.__all__
__all__ += _events_outcomes.__all__
