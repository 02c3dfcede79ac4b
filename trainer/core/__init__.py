"""What every page shares: the home page, language, health check, error pages."""
