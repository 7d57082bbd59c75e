"""The Performance Assurance Framework: measure definitions (SQL), the framework file, figures and RAG."""
