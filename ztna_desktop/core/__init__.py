"""Pure domain: dataclasses, errors, protocols. No I/O, no Qt."""
