"""Parsers that refuse a hostile request body with DRF's 400, never a 500.

Python's ``json`` reads ``[[[[...`` nested thousands deep by recursion and raises
``RecursionError``, which DRF's ``JSONParser`` does not catch; and it reads ``"\\ud800"``
as a lone surrogate that neither the database nor an error message echoing it can encode.
Every API view of the istok apps uses :class:`SafeParsersMixin`; a project may name
:class:`SafeJSONParser` in ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`` for its own views.
"""

import codecs
import io
import json
import re
from itertools import accumulate

from django.conf import settings
from django.utils.translation import gettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

#: The deepest nesting of arrays and objects a body may have. No istok API takes more than
#: a few levels; a deeper body is refused before a serializer (or ``json.dumps`` when it is
#: stored or echoed) recurses through it.
MAX_DEPTH = 100


def _too_deep():
    return ParseError(gettext("The request body is nested too deeply."))


def _not_text(charset):
    return ParseError(
        gettext("The request body is not valid %(charset)s text.") % {"charset": charset}
    )


#: A JSON string (with its escapes), whose brackets do not nest anything.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def check_nesting(text, max_depth=MAX_DEPTH):
    """Raise ``ParseError`` when the JSON ``text`` opens more than ``max_depth`` arrays or
    objects at once, before anything parses it: Python's ``json`` answers an unclosed
    ``[[[[...`` with ``RecursionError`` on some versions and a syntax error on others
    (3.13), and a client should read the same answer on both. Brackets inside strings do
    not count. Linear in the length of the body, without recursion."""
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    if len(brackets) <= max_depth:
        return
    if max(accumulate(_DEPTH_STEP[b] for b in brackets)) > max_depth:
        raise _too_deep()


def check_parsed(data, max_depth=MAX_DEPTH):
    """Raise ``ParseError`` when parsed ``data`` nests deeper than ``max_depth`` or holds a
    string (a value or a key) with a lone surrogate. Walks without recursion."""
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise _not_text("UTF-8") from None
        elif isinstance(item, dict | list | tuple):
            if depth >= max_depth:
                raise _too_deep()
            if isinstance(item, dict):
                stack.extend((key, depth + 1) for key in item)
                item = item.values()
            stack.extend((value, depth + 1) for value in item)


class SafeJSONParser(JSONParser):
    """DRF's ``JSONParser``, refusing with a translated ``ParseError`` (400) what it would
    answer with a 500 or an untranslated message: nesting deeper than :attr:`max_depth`
    (or deep enough for ``RecursionError``), a lone surrogate, bytes that are not text in
    the request's charset, a charset that is not a text encoding, and malformed JSON."""

    #: The deepest nesting of arrays and objects accepted (:data:`MAX_DEPTH`).
    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            # Unlike codecs.getreader(), str.encode() refuses bytes-to-bytes codecs such as
            # bz2_codec, which would inflate a small body past the upload size limit.
            "".encode(encoding)
        except (LookupError, UnicodeError):
            raise ParseError(
                gettext("The request body's character set is not supported.")
            ) from None
        parse_constant = _refuse_constant if self.strict else None
        try:
            text = codecs.getreader(encoding)(stream).read()
            check_nesting(text, self.max_depth)
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise _too_deep() from None
        except json.JSONDecodeError as exc:
            raise ParseError(
                gettext("The request body is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from exc
        except UnicodeDecodeError as exc:
            raise _not_text(encoding) from exc
        except ValueError as exc:  # NaN, Infinity, an integer of thousands of digits
            raise ParseError(gettext("The request body is not valid JSON.")) from exc
        check_parsed(data, self.max_depth)
        return data


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


class SafeParser:
    """Wraps any parser (an integrator's own JSON parser, DRF's form parsers): the body it
    parses gets the checks of :func:`check_parsed`, and ``RecursionError`` becomes a 400.
    Everything else (``media_type``...) is the wrapped parser's."""

    def __init__(self, parser):
        self.parser = parser

    def __getattr__(self, name):
        return getattr(self.parser, name)

    def parse(self, stream, media_type=None, parser_context=None):
        if "json" in (getattr(self.parser, "media_type", "") or ""):
            # The body's nesting is checked before the wrapped parser reads it (see
            # check_nesting); it then reads the same bytes.
            body = stream.read()
            check_nesting(body.decode("utf-8", errors="replace"))
            stream = io.BytesIO(body)
        try:
            data = self.parser.parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        check_parsed(data)
        return data


def safe_parser(parser):
    """``parser`` made safe: DRF's own ``JSONParser`` becomes a :class:`SafeJSONParser`,
    any other parser is wrapped in a :class:`SafeParser`."""
    if isinstance(parser, SafeJSONParser):
        return parser
    if type(parser) is JSONParser:
        return SafeJSONParser()
    return SafeParser(parser)


class SafeParsersMixin:
    """For an API view: every parser the view would use (its ``parser_classes``, else the
    project's ``DEFAULT_PARSER_CLASSES``) goes through :func:`safe_parser`.

    A body sent with POST, PUT or PATCH to a view that answers the method is parsed once
    the request is authenticated and allowed, even by an action that reads nothing from it ("take this conversation"): a
    malformed or hostile body is a 400 at every endpoint, never accepted by some.
    """

    def get_parsers(self):
        return [safe_parser(parser) for parser in super().get_parsers()]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Only for a method the view answers: another is its 405, whatever the body.
        if request.method in ("POST", "PUT", "PATCH") and hasattr(self, request.method.lower()):
            request.data  # noqa: B018  (parsing is what raises ParseError: a 400)
