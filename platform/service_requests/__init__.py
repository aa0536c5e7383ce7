"""The shared request backend (public schema): requests, tracking codes, status history.

Only the tracking-code scheme exists so far; models, submission and the staff
inbox come with the online-requests issue.
"""
