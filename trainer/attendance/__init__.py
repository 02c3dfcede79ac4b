"""Attendance of gram panchayats: QR codes, access codes, the secretary's flow, officers' marking."""
