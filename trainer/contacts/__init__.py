"""Contacts of gram panchayats and officers: mobile numbers, e-mail, language, channels and opt-outs."""
