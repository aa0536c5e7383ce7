"""The shared request backend (public schema): every agency's requests to one set of tables.

Submission with its checked documents, tracking codes, the public status and the
citizen's conversation with the agency, the staff inbox and its workflow (steps,
extensions, the answer and its verification code), and working days and official
holidays for promised dates.
"""
