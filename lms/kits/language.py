"""The language kit: text out of a language map (``{"en": "...", "ro": "..."}``), the shape of
every multilingual field (course and journey titles, themes, competences, certificate
headings), as in xAPI and cmi5."""


def pick_language(language_map: dict[str, str], language: str) -> str:
    """The text for ``language``, else its base language, else English, else any (cheap)."""
    if not language_map:
        return ""
    if language in language_map:
        return language_map[language]
    base = language.split("-", maxsplit=1)[0].lower()
    for tag, text in language_map.items():
        if tag.split("-")[0].lower() == base:
            return text
    for tag, text in language_map.items():
        if tag.split("-")[0].lower() == "en":
            return text
    return next(iter(language_map.values()))


def language_tag(code: str) -> str:
    """A Django language code as an RFC 5646 tag in its conventional case (§2.1.1): "sr-latn"
    → "sr-Latn" (a four-letter script subtag in title case), "en-gb" → "en-GB" (a region in
    upper case). Tags are compared without case, but content may not."""
    language, *rest = code.replace("_", "-").split("-")
    subtags = [language.lower()]
    for subtag in rest:
        if len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())
        elif len(subtag) == 2:
            subtags.append(subtag.upper())
        else:
            subtags.append(subtag.lower())
    return "-".join(subtags)
