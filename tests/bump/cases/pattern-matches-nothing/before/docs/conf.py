project = "digits"
copyright = "2026, Jane Doe"
extensions = ["sphinx.ext.autodoc"]
