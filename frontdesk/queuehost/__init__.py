"""The branch queue host: a small FastAPI app on the LAN, its client, config and CLI.

One PC in the branch keeps the queue (``LocalQueue`` on its own database) and serves
it with :mod:`.app`; every other counter reaches it through :class:`.client.RemoteQueue`.
:func:`.backend.queue_backend` picks the right one from the ``[queue]`` config section.
"""
