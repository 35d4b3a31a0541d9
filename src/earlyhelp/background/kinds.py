"""The kinds of file made in the background, each registered once by the app that owns it.

A kind says which permission lets a user ask for the file (the same one is asked again at every look and at
the download), how to make it (run by the worker, with a progress callback), and how its download is
recorded (through the app's own access-record writer).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Made:
    """What a kind's maker returns: the file, or the records to correct first (and no file)."""

    content: bytes = b""
    filename: str = ""
    content_type: str = ""
    problems: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    name: str
    permission: str
    # (params) -> the object the permission is asked about (a family), or None.
    policy_object: Callable
    # (user, params, progress) -> Made; progress(percent, text) shows how far it has got.
    make: Callable
    # (request, background_file) -> None: the access record of a download, through the app's writer.
    record_download: Callable
    # A template showing the problems (given `problems`), and (user, problems) -> the problems to show.
    problems_template: str = ""
    problems_context: Callable | None = None


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    if kind.name in KINDS:
        raise ValueError(f"The kind of background file {kind.name!r} is registered twice")
    KINDS[kind.name] = kind


def kind_of(name: str) -> Kind:
    return KINDS[name]
