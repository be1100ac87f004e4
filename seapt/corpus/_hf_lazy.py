"""Import datatrove.io without importing huggingface_hub's HfFileSystem (hf_api, httpx, trio) up front."""

from __future__ import annotations

import sys


class _HfFileSystemCheck(type):
    """isinstance/issubclass against huggingface_hub's HfFileSystem without importing it: nothing can be an
    HfFileSystem before its module has been imported (then the real class answers)."""

    def __instancecheck__(cls, obj) -> bool:
        mod = sys.modules.get("huggingface_hub.hf_file_system")
        return mod is not None and isinstance(obj, mod.HfFileSystem)

    def __subclasscheck__(cls, sub) -> bool:
        mod = sys.modules.get("huggingface_hub.hf_file_system")
        return mod is not None and issubclass(sub, mod.HfFileSystem)


def import_datatrove_io() -> None:
    """datatrove.io imports HfFileSystem at import time only for an isinstance check (is this fs the Hub's?),
    and that import costs ~0.19 CPU-s (~5% of a Thai corpus run). While datatrove.io is first imported,
    ``huggingface_hub.HfFileSystem`` is a stand-in that answers that check exactly; it is removed right after,
    so every other ``from huggingface_hub import HfFileSystem`` gets the real class (hf:// paths still work:
    fsspec imports the real file system for them)."""
    if "datatrove.io" in sys.modules:
        return
    import huggingface_hub

    if "HfFileSystem" in vars(huggingface_hub):  # already imported for real: nothing to save
        import datatrove.io  # noqa: F401

        return
    stand_in = _HfFileSystemCheck("HfFileSystem", (), {"__module__": "huggingface_hub.hf_file_system"})
    huggingface_hub.HfFileSystem = stand_in
    try:
        import datatrove.io  # noqa: F401
    finally:
        if vars(huggingface_hub).get("HfFileSystem") is stand_in:
            del huggingface_hub.HfFileSystem
