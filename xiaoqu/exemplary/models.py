"""Models of the exemplary app."""
