"""Partner organisations: UN agencies, NGOs, trusts and others that support the department's trainings."""
