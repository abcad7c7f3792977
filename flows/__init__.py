"""compute-limits: flows package."""
