"""Views of the web application: thin, reading through selectors and writing through
services, so every page shows only what the signed-in user may see."""
