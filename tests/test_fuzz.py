"""Property-based fuzzing of request envelopes and console requests (hypothesis), with
the checks in harness/fuzz.py; `make bench` runs the same checks on many more examples."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from harness.fuzz import CLIENT, check_console, check_envelope, console_bodies, envelopes


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(envelopes())
def test_any_envelope_gets_a_valid_reply_or_a_clean_4xx(envelope: dict) -> None:
    check_envelope(CLIENT, envelope)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(console_bodies)
def test_any_console_request_gets_a_reply_or_a_clean_400(body: dict) -> None:
    check_console(CLIENT, body)
