"""Domain errors: what a service raises when the procedure or the data refuses an action.

Views catch ``DomainError`` and show its message to the user (at the field when ``field``
names one); nothing is saved, because services raise before or inside their transaction.
"""


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleVersionError(DomainError):
    """The record changed since the form was loaded; saving would overwrite someone's work."""


class TransitionRefused(DomainError):
    """The procedure's table or one of its guards refused a change of stage."""


class NotAllowed(DomainError):
    """The access policy refused the actor (mopr.policy.require): services ask it themselves, so
    a view that forgot to ask cannot write."""


class PersonKnown(DomainError):
    """The person already has a record in the institution (one PESEL, one record): the form leads
    to it. ``member`` is the position of the person in the submitted list (0: the head)."""

    def __init__(self, message: str, *, field: str | None = None, client_id: int | None = None, member: int = 0):
        super().__init__(message, field=field)
        self.client_id = client_id
        self.member = member


class PersonNeedsConfirmation(PersonKnown):
    """Someone of the same name and birth date is known: the user confirms it is another person."""
