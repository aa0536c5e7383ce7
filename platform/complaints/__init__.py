"""Complaints and objections (public schema): about a request or a service, with their own
codes, a deadline in working days, handled by the agency's complaint handlers and escalated
to the national level when unanswered past it."""
