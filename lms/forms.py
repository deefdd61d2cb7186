"""Forms of the account pages: sign-up, log-in, profile and password reset."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from lms import services
from lms.models import User
from lms.tasks import send_email


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
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            # A friendly early answer; the database constraint still decides a race.
            raise ValidationError(_("A user with this e-mail address already exists."))
        return email

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

    def save(self, commit: bool = True) -> User:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        try:
            return services.register_user(password=self.cleaned_data["password1"], **data)
        except ValidationError as error:
            self.add_error(None, error)
            raise


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
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def save(self, commit: bool = True) -> User:
        changes = {name: self.cleaned_data[name] for name in self.changed_data}
        return services.update_profile(user=self.instance, **changes)


class QueuedPasswordResetForm(PasswordResetForm):
    """Renders the reset e-mail in the request, then queues its delivery as a Celery task."""

    def send_mail(  # noqa: PLR0917 - Django's signature
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        transaction.on_commit(
            lambda: send_email.delay(
                subject=subject,
                body=body,
                to=[to_email],
                html_body=html_body,
                from_email=from_email or "",
            )
        )
