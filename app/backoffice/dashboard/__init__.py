"""The kanaalsturing dashboard for management: the channel and service figures per month."""
