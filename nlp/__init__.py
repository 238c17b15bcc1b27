"""Label extraction (countries, categories, victim types) for IFEX alerts."""
