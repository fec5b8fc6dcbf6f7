"""The embedded tenant: Entra sign-in and Microsoft Graph on loopback HTTPS."""

from ztna_desktop.emulator.emulator import Emulator
from ztna_desktop.emulator.options import EmulatorOptions, FaultSettings, RequestRecord

__all__ = ["Emulator", "EmulatorOptions", "FaultSettings", "RequestRecord"]
