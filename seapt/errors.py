"""SeaptError types: user-facing errors the CLI prints as one line with exit code 1."""


class SeaptError(Exception):
    """A problem the user can fix (bad input, bad config, missing file); printed as one line, exit 1."""

    exit_code = 1


class ConfigError(SeaptError):
    """A config value is missing, of the wrong type or out of range; the message names the field."""


class InputError(SeaptError):
    """An input file or folder is missing, unreadable or malformed; the message names the path."""


class DependencyError(SeaptError):
    """An optional dependency is not installed; the message says which extra or package to install."""


class IncompatibleError(SeaptError):
    """Two artefacts do not fit together (e.g. a tokenizer that is not an extension of this base)."""


class UnsupportedError(SeaptError):
    """A model or tokenizer family seapt does not support (yet)."""


def require(module: str, extra: str | None = None, package: str | None = None):
    """Import an optional dependency or raise DependencyError saying how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        how = f"pip install 'seapt[{extra}]'" if extra else f"pip install {package or module}"
        raise DependencyError(f"{module} is needed for this command but is not installed: {how}") from exc
