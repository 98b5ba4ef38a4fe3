"""The API's JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``)."""

import codecs

from django.conf import settings
from rest_framework import exceptions, parsers
from rest_framework.utils import json as drf_json

from anjian.core import inputs


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, after ``core.inputs`` checked the text: no NUL, not nested too deep (a
    deep body would exhaust the parser's recursion). InputGuardMiddleware checks request bodies
    before any view; this keeps the API's parser safe on its own."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            inputs.check_json_text(text)
            return drf_json.loads(text, parse_constant=drf_json.strict_constant if self.strict else None)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
