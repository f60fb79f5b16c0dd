"""Local tools: the model generator, local language understanding, CLI and server."""
