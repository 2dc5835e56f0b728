"""One search over documents, tasks and indicators (SQLite FTS5, PostgreSQL full-text and
trigram), above the packages it searches: ``documents`` and ``plans`` do not import it."""
