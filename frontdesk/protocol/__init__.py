"""What a counter and head office share (docs/architecture.md, "the neutral package").

Both sides import this package; it imports nothing of either side (only
``frontdesk.core`` and the standard library, plus ``orjson`` for the limits' answers),
so the wire contract lives in one place and neither side depends on the other:

- :mod:`.wire`: protocol and dataset versions, header names, batch and body limits;
- :mod:`.records`: the record kinds head office stores, envelope versions, integer
  fields, and the work-order status → complaint event mapping used on both sides;
- :mod:`.digest`: the canonical digest of a published dataset (head office writes it,
  the counter checks it after a pull);
- :mod:`.limits`: the ASGI body limit both servers (head office, queue host) put
  before any authentication, and head office's per-credential gate.
"""
