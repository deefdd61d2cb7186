"""Text cells for the files the site writes: formulas made inert, decimals as plain text."""

from decimal import Decimal

# OWASP, "CSV Injection": a spreadsheet reads a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text: str) -> str:
    """Make a text cell inert in a spreadsheet: OWASP's advice for CSV is a leading apostrophe
    before a cell that a spreadsheet would take for a formula (=, +, -, @, tab, carriage return).
    Names and course titles are typed by users, so every text cell of a CSV goes through this."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def decimal_text(value: Decimal) -> str:
    """A decimal as plain ISO text, without exponent or trailing zeros: 12.50 -> "12.5"."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
