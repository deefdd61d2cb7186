"""Django format files (``FORMAT_MODULE_PATH``): one date style per language, read by
``lms.kits.formats`` and by the ``date`` filter alike (docs/style.md, "Formats")."""
