"""Errors a user can cause, with messages that say what to do next."""


class AssistantError(Exception):
    """Base class: the message is meant for the person running the command."""


class ConfigError(AssistantError):
    """A setting or command-line option is invalid."""


class CorpusError(AssistantError):
    """The corpus directory is missing or holds no documents."""


class NoIndexError(AssistantError):
    """No index has been built yet (or it was removed)."""


class StoreUnavailableError(AssistantError):
    """The vector store (a Chroma server) cannot be reached."""


class DocumentError(AssistantError):
    """One document could not be read; the message names the reason."""


class DatabaseUnavailableError(AssistantError):
    """The feedback database (SQLite file or PostgreSQL server) cannot be used right now."""
