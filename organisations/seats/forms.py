"""Forms of the seat pages: assign seats to members, revoke a seat (with a reason), renew a
pool. The services in ``seats.py`` decide what may happen; these check the input first, so that
an error shows next to its field."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.api import DAY_VALIDATORS, User
from organisations.seats.models import SeatPool
from organisations.seats.selectors import assignable_members


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.display_name:
            return f"{obj.display_name} ({obj.email})"
        return str(obj.email)


class AssignSeatsForm(forms.Form):
    """The organisation's members who hold no seat of the pool, as checkboxes (public ids as
    values)."""

    members = MemberChoiceField(
        queryset=User.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        label=_("Members without a seat of this pool"),
        error_messages={
            "required": _("Choose at least one member."),
            "invalid_choice": _("%(value)s is not a member without a seat of this pool."),
        },
    )

    def __init__(self, *args: Any, pool: SeatPool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = assignable_members(pool)  # type: ignore[attr-defined]


class RevokeSeatForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Kept in the seat's history."),
    )


class RenewPoolForm(forms.Form):
    """A new period of the pool. The held seats move over, so there must be room for them."""

    seats = forms.IntegerField(label=_("Seats"), min_value=1)
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=DAY_VALIDATORS,
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=DAY_VALIDATORS,
    )
    order_reference = forms.CharField(label=_("Order reference"), max_length=100, required=False)
    price = forms.DecimalField(
        label=_("Price"), min_value=Decimal(0), max_digits=12, decimal_places=2, initial=0
    )

    def __init__(self, *args: Any, held: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held = held

    @classmethod
    def following(cls, pool: SeatPool, *, held: int) -> "RenewPoolForm":
        """An unbound form proposing the period after the pool's, as long, at the same size."""
        start = pool.valid_until + timedelta(days=1)
        length = pool.valid_until - pool.valid_from
        return cls(
            held=held,
            initial={
                "seats": pool.seats,
                "valid_from": start,
                "valid_until": start + length,
                "price": pool.price,
            },
        )

    def clean_seats(self) -> int:
        seats: int = self.cleaned_data["seats"]
        if seats < self.held:
            raise forms.ValidationError(
                ngettext(
                    "%(held)s seat is held now and moves to the renewal: renew at least as many.",
                    "%(held)s seats are held now and move to the renewal: renew at least as many.",
                    self.held,
                ),
                params={"held": self.held},
            )
        return seats

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("valid_from")
        end: date | None = cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The period must end on or after its first day."))
        return cleaned
