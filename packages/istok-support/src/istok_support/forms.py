"""Forms of the chat pages. They check the shape of the input; the services check the
rules (length, rate limit, attachment content, who may do what) and write."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

#: What the attachment field offers in the browser's file picker (the service checks the
#: content whatever the name says).
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


class ServiceErrorsMixin:
    """Validation errors a service raised, shown on the form like its own."""

    def add_service_error(self, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class MessageForm(ServiceErrorsMixin, forms.Form):
    """A message: text, an attachment, or both."""

    text = forms.CharField(
        label=_("Your message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "istok-input"}),
    )
    attachment = forms.FileField(
        label=_("Attach a photo or a PDF"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser stops at the limit; the service says so when a client does not.
        self.fields["text"].widget.attrs["maxlength"] = settings.ISTOK_SUPPORT_MAX_MESSAGE_LENGTH


class RatingForm(ServiceErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How did we do?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
