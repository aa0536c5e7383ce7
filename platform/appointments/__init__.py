"""Appointments (نوبت‌دهی): an agency's desks, their hours and slots, and citizens' bookings
(public schema, every row stamped with the agency)."""
