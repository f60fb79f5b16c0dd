"""Development tools: the CLI, the local language understanding that stands in for Alexa's, the
envelope builder and the test console."""
