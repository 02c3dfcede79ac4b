"""Offices: the government offices of a place (state, division, district or block) and their officers."""
