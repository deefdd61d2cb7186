"""Forms of the account pages: sign-up, log-in, profile and password reset."""

from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lms import services, verification
from lms.email import send_templated_email
from lms.models import User

# The consent question speaks to the person (docs/style.md: second person, plain language); the
# model's help text is the administrators' wording about "this person".
CONSENT_LABELS = {"analytics_consent": _("Allow research use of your anonymised learning data")}
CONSENT_HELP = {
    "analytics_consent": _(
        "If you tick this, anonymised data about your learning may be used for research. "
        "You can change your answer at any time in your profile."
    )
}


class SignUpForm(forms.ModelForm):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = [
            "email",
            "display_name",
            "preferred_language",
            "country",
            "profession",
            "gender",
            "analytics_consent",
        ]
        labels = CONSENT_LABELS
        help_texts = CONSENT_HELP
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args: Any, next_path: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.next_path = next_path

    def clean_email(self) -> str:
        # Whether the address has an account is not said here (issue 17): sign_up() e-mails
        # its owner instead, and the page answers the same.
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def _post_clean(self) -> None:
        # Model validation happens in the service, which owns the write.
        pass

    def save(self, commit: bool = True) -> User | None:
        """Sign up; the new account, or None when the address had one (its owner is told)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        try:
            return verification.sign_up(
                password=self.cleaned_data["password1"], next_path=self.next_path, **data
            )
        except ValidationError as error:
            self.add_error(None, error)
            raise


class ConfirmEmailForm(forms.Form):
    """The password of the account a verification link is for (see lms.verification)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Through authenticate(), so that django-axes counts the failures as at log-in.
        known = authenticate(self.request, username=self.user.email, password=password)
        if known is None or known.pk != self.user.pk:
            raise ValidationError(
                _(
                    "That is not this account's password. If you did not sign up with this "
                    "address, or forgot the password, choose a new one instead."
                ),
                code="password_incorrect",
            )
        return password


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address and password do not match an account. The password is "
            "case-sensitive; the e-mail address is not."
        ),
    }


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "preferred_language",
            "country",
            "profession",
            "gender",
            "analytics_consent",
        ]
        labels = CONSENT_LABELS
        help_texts = CONSENT_HELP
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def save(self, commit: bool = True) -> User:
        changes = {name: self.cleaned_data[name] for name in self.changed_data}
        return services.update_profile(user=self.instance, **changes)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending its e-mail like every other (lms.email): the templates are
    ``lms/email/password_reset*``, whatever template names the view passes."""

    def send_mail(  # noqa: PLR0917 - Django's signature
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        send_templated_email(
            "lms/email/password_reset",
            to=[to_email],
            context=context,
            # The language the reset page was in, as the person asking reads it.
            language=translation.get_language(),
            from_email=from_email or "",
        )
