"""Accounts: users, signing in and out, the admin's account pages, and the place each role is bound to.

The roles themselves, and the checks on them, are in trainer.core.roles and trainer.core.auth.
"""
