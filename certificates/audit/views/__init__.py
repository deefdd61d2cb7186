"""The pages of certificates.audit."""
