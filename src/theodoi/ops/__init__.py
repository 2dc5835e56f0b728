"""Operations on a whole installation rather than on its data: backup and restore of the
database (every app's tables) together with the uploaded files.

Below the command line, above nothing of the project's: it works on Django's connection
settings and MEDIA_ROOT, never on a domain model.
"""
