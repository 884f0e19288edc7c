"""Models of the clinics app."""
