"""Live questions from the panchayats to a session's experts: asked, supported, moderated, answered."""
