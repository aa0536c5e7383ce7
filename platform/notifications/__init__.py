"""SMS to citizens: recorded with the change, each sent by its own background job."""
