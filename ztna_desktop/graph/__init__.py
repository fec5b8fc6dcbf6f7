"""Microsoft Graph over requests: transport and typed operations."""
