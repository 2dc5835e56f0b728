"""Old reports: reading Word, PDF and text files into documents, their figures into review."""
