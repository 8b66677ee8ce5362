"""Where a report version's delivery to the province stands (stored as its value).

pending → sending → delivered, or back to pending with a later attempt time, or
failed_permanently (a person must look: the province refused it, or the retry
schedule ran out).  A row left sending by a process that died becomes due again
after a while and is sent with the same ``webhook-id``.
"""

from __future__ import annotations

from enum import StrEnum


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED_PERMANENTLY = "failed_permanently"  # needs a person
