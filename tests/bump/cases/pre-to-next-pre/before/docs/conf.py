project = "digits"
copyright = "2026, Jane Doe"
release = "0.1.0rc0"
extensions = ["sphinx.ext.autodoc"]
