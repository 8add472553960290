"""The counter clerk's PySide6 application (SPEC §2, §3, §6 sign-in, §11).

A thin layer over the application services: windows call services and show what they
return; no business rules and no SQL live here. ``app.run_app`` is the entry point
used by ``frontdesk gui`` / ``frontdesk demo``; everything heavy is imported lazily so
the sign-in window appears fast (SPEC §12: ≤ 0.5 s).
"""
