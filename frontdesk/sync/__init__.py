"""The counter's side of head-office sync: enrolment, push, pull, retries, status.

Nothing here is Qt: the GUI shows :class:`~frontdesk.sync.status.SyncStatus` through the
small widget in ``frontdesk/gui/sync_status.py``; the background work runs in the thread
owned by :class:`~frontdesk.sync.agent.SyncAgent`. See ``docs/sync.md``.
"""
