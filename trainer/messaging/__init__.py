"""Messages to panchayats and officers: templates, the outbox, providers, reminders, broadcasts, SMS marking."""
