"""compute-limits: crawlers/spiders package."""
