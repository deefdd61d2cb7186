"""The pages of certificates.credentials."""
