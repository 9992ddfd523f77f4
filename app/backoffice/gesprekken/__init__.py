"""Conversations with residents: the threads that wait for an answer, per team, with the
servicenorm for a written answer; one thread's page, where staff read and answer it."""
