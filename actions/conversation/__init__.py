"""Conversation in context: follow-up questions, yes and no, the pending question (issue #14)."""
