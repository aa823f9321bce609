"""The errors of issuing documents and of the ministry's keys.

Their messages, in three languages, are in the registry's one catalogue
(``sijill.domain.messages``).
"""

from __future__ import annotations

from sijill.domain.errors import Conflict, DomainError, NotFound


class TrustProblem(DomainError):
    """The ministry's keys cannot do what was asked."""

    code = "invalid"


class DocumentConflict(Conflict):
    """A document cannot be issued from the act as it stands."""


class DocumentNotFound(NotFound):
    """No document with that number."""


class DocumentInvalid(DomainError):
    """A request for a document that names an unknown kind or language."""

    code = "invalid"
