"""A throw-away CA and a server certificate for 127.0.0.1 and localhost."""

from __future__ import annotations

import ssl
from pathlib import Path

import trustme


def make_server_context(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """Make a fresh CA, write its certificate to ``directory/ca.pem``, return the server context.

    The CA lives only as long as the run: clients trust it through ``ca_file``.
    """
    ca = trustme.CA(organization_name="ZTNA Desktop emulator")
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    leaf.configure_cert(context)
    ca_file = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file
