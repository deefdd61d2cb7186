"""The xAPI protocol: versions, headers, authentication, validation, multipart, signatures."""
