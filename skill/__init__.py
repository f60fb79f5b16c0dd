"""Cramp Coach: an Alexa skill that talks a person through a leg cramp, hands-free."""
