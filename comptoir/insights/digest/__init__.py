"""The weekly digest: what it says (content), how a person opts out (tokens), how it leaves (sending)."""
