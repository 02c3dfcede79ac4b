"""Feedback: a form per programme, built by trainers, answered by the people who attended."""
