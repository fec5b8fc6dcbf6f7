"""SQLite per tenant: directory snapshot, and later delta state, sync journal and audit log."""
