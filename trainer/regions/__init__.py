"""The panchayat hierarchy: divisions, districts, blocks (janpad panchayats) and gram panchayats."""
