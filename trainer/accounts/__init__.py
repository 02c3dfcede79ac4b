"""Accounts, roles and the areas they are bound to."""
