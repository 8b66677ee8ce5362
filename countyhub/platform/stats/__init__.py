"""Figures from the parcel events, the visit log and the plans (today: the start
page's overview)."""
