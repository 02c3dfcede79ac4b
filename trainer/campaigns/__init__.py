"""Campaigns: indicators with targets by area and phase, and values reported from the field."""
