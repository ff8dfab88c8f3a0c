project = "digits"
copyright = "2026, Jane Doe"
release = "0.0.9"
extensions = ["sphinx.ext.autodoc"]
