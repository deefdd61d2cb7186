"""Content translations: the texts staff write (course titles, journey text, themes,
frameworks, rule sets...) translated per language by translators, with what is missing or out
of date, an edit page per object, and XLIFF 2.0 export and import (README, "Translations")."""
