"""The translators' side of the interface catalogue (lms/locale/<ll>/LC_MESSAGES/django.po):
who may translate which language (``access``), each language's status and the PO import with
its checks and preview (``catalogues``, ``checks``), and the pages (``views``). Editing message
by message is django-rosetta's, mounted beside these pages (README, "Translating")."""
