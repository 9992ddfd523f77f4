"""The back office's front door: staff login and logout, the session, and the start page
with the menu."""
