"""The embedded tenant: Entra sign-in and Microsoft Graph on loopback HTTPS."""
