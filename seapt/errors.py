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


# Import names whose pip distribution is spelled differently.
PIP_NAMES = {"yaml": "pyyaml", "sklearn": "scikit-learn", "lingua": "lingua-language-detector",
             "pycrfsuite": "python-crfsuite", "google": "protobuf", "PIL": "pillow", "crfsuite": "python-crfsuite"}


def dependency_error(exc: BaseException) -> DependencyError | None:
    """A one-line DependencyError for an ImportError anywhere in ``exc``'s chain (raised here or inside a
    datatrove worker, which re-raises it in this process), naming the package and the pip command; None when
    the chain holds no ImportError."""
    import re

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ImportError):
            text = " ".join(str(exc).split())
            # datatrove's own check says "Please install `orjson` to use RemovedWriter (`pip install orjson`)."
            named = re.search(r"[Pp]lease install `?([A-Za-z0-9_.\-]+)", text)
            module = (named.group(1) if named else exc.name) or "a package"
            top = module.split(".")[0]
            if top == "seapt":
                return DependencyError(f"seapt itself is installed incompletely ({text}); reinstall it: "
                                       "pip install --force-reinstall seapt")
            return DependencyError(f"missing or broken dependency {top!r} ({text}); install it: "
                                   f"pip install {PIP_NAMES.get(top, top)}")
        exc = exc.__cause__ or exc.__context__
    return None
