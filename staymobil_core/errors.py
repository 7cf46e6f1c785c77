"""The exceptions that StayMobil Self-Audit raises on bad input or state.

Every message says what was wrong, quoting the value and where it came from,
what is allowed, and what to do next. The pages catch `StayMobilError` and
show its message; any other exception is a bug.
"""


class StayMobilError(Exception):
    """Base class of every error the pages show to the user."""


class FrameworkError(StayMobilError):
    """A framework file is missing, unreadable or breaks a rule."""


class InvalidInputError(StayMobilError):
    """A value typed or chosen by the user is not allowed."""


class DuplicateOrganisationError(InvalidInputError):
    """Another organisation already has this name."""


class NotFoundError(StayMobilError):
    """An organisation, audit or framework id does not exist."""


class AuditLockedError(StayMobilError):
    """A complete audit was changed without being reopened first."""


class ConcurrentChangeError(StayMobilError):
    """Another session changed the same rows in the same moment."""


class DatabaseError(StayMobilError):
    """The database file cannot be opened or used."""


class DatabaseLockedError(DatabaseError):
    """Another process holds the database file."""


class SchemaTooNewError(DatabaseError):
    """The database file was written by a newer version of the app."""
