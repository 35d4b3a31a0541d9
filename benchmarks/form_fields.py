"""What a browser would send from a page's form: its fields as the page fills them (issue 15).

The load run saves forms as a person does: it opens the page, keeps what the form carries
(hidden fields such as the version the form was opened at, the wizard's step, answers already
there) and changes only what the plan types. Standard library only, so that Locust's process
and the test suite can both use it.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit


class _FormFields(HTMLParser):
    """The fields of each POST form on a page, as (action, [(name, value), ...])."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            if attributes.get("method", "get").lower() == "post":
                self._fields = []
                self.forms.append((attributes.get("action", ""), self._fields))
            return
        if self._fields is None or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("radio", "checkbox") and "checked" not in attributes:
                return
            self._fields.append((name, attributes.get("value", "on" if kind in ("radio", "checkbox") else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attributes and not self._select_chosen:
                self._fields.append((self._select, value))
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A browser drops the one newline that follows <textarea>.
            self._fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self._fields.append((self._select, self._select_first))
            self._select = None


def posted_fields(html: str, path: str, typed: dict) -> dict:
    """The fields the form at `path` on `html` sends once `typed` is typed over it.

    The form is the page's POST form that posts back to `path` (its action empty or the same
    path), not the sign-out button in the header. A name given in `typed` replaces every value
    the form had for it; a list sends several values (ticked boxes).
    """
    parser = _FormFields()
    parser.feed(html)
    wanted = urlsplit(path).path
    forms = [fields for action, fields in parser.forms if not action or urlsplit(action).path == wanted]
    fields: dict[str, list[str]] = {}
    for name, value in (forms[0] if forms else []):
        fields.setdefault(name, []).append(value)
    for name, value in typed.items():
        fields[name] = list(value) if isinstance(value, (list, tuple)) else [str(value)]
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items() if values}
