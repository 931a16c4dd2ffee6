"""IAM0xx: input rules (syntax, duplicate keys, unreadable files)."""
