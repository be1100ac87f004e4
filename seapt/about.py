"""Versions of seapt and of the libraries it runs on, for `seapt --version` and bug reports."""

from __future__ import annotations

from importlib import metadata

import seapt

# Distributions named in a bug report: the ML stack, then the language tools (segmenters, language id).
CORE = ("torch", "transformers", "tokenizers", "datatrove", "accelerate", "datasets", "huggingface_hub")
LANGUAGE_TOOLS = ("pythainlp", "nlpo3", "python-crfsuite", "underthesea", "lingua-language-detector", "ftfy",
                  "pyicu-wheels", "myanmartools")  # the last two optional (seapt[lo|km|my|sea] extras)


def installed_version(distribution: str) -> str | None:
    """The installed version of a pip distribution, or None when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def versions() -> dict[str, str | None]:
    """{"seapt": version, distribution: version or None (not installed), ...} in a stable order."""
    out: dict[str, str | None] = {"seapt": seapt.__version__}
    for name in (*CORE, *LANGUAGE_TOOLS):
        out[name] = installed_version(name)
    return out


def version_text() -> str:
    """One line per distribution, ``name version`` (``name not installed``), seapt first."""
    return "\n".join(f"{name} {v or 'not installed'}" for name, v in versions().items())
