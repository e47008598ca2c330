"""DRF's browsable API under the project's Content-Security-Policy."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, whose templates put ``style="..."`` on their elements: its pages
    alone are allowed inline styles. Scripts stay as strict as everywhere (DRF's are files,
    and its only inline ``<script>`` is JSON data, which no browser runs)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        html = super().render(data, accepted_media_type, renderer_context)
        response = (renderer_context or {}).get("response")
        if response is not None:
            # What the csp_update decorator does to a view's response.
            csp_update({"style-src": [UNSAFE_INLINE]})(lambda: response)()
        return html
