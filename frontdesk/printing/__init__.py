"""Printed documents (SPEC §4): acceptance slip, receipt (A4 / 80 mm), warranty card.

``views`` turns database rows into plain dataclasses; the layout modules (``slip``,
``receipt``, ``warranty``) turn those into PDF bytes with reportlab and never touch the
database; ``fonts`` finds the embedded CJK font; ``barcodes`` draws Code 128 and QR;
``stamp`` finds or draws the branch's sales stamp. Archiving, reprints and print
bookkeeping are :class:`frontdesk.services.documents.DocumentService`'s job.
"""
