"""Old documents: reading files (text, Word, PDF) into documents with their full text and
metadata, the review queue of the figures extracted from them, and the checks of their
arithmetic. The pure readers live in :mod:`theodoi.domain`."""
