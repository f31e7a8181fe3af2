"""Adapter of the National Public Service Portal (Cổng Dịch vụ công quốc gia, DVCQG).

* ``wire``: the portal's field names and formats (``dd/MM/yyyy HH:mm:ss`` in Vietnam's
  local time, status codes 1–10, channel and flag codes) — names of the wire format
  stay inside this package (glossary);
* ``client``: ``NationalPortalClient`` — client-credentials token (cached per process,
  refreshed before expiry and once on a 401), batched push of sync events, pull of the
  online dossiers created on the portal and the confirmation of their pick-up;
* ``fake``: the local fake of the portal (``motcua fake portal``, demo port 8101).

The protocol is described in docs/integrations/dvcqg.md. The adapter knows nothing of
dossiers: ``portalsync`` (a domain app above dossiers) builds the items it sends.
"""

from motcua.integration.adapters.dvcqg.client import (
    NationalPortalClient,
    PortalError,
    PortalRejected,
    PortalUnavailable,
    PushResult,
    get_client,
)

__all__ = [
    "NationalPortalClient",
    "PortalError",
    "PortalRejected",
    "PortalUnavailable",
    "PushResult",
    "get_client",
]
