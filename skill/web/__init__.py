"""The HTTP adapter: a Flask app factory for a self-hosted Alexa endpoint, with Alexa's request
verification. Production code: the README offers it for self-hosting; the console rides on it."""
