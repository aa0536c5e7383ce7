"""The satisfaction survey after a request is closed (the evaluation's index 9).

The citizen is invited by SMS (a signed link that works for SURVEY_LINK_DAYS days) and
on the tracking page once they proved ownership; one response per request, whose
results per service and agency feed the reports.
"""
