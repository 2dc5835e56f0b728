"""The OpenAPI document describes the API truthfully: schemathesis generates requests for
every operation from it and the API answers each without a server error and as documented.

Schemathesis calls the Django WSGI application in this thread, so it works on the pytest
test database (the Cát Hải dataset) inside the test's transaction; Django's closing of old
connections at each request is switched off meanwhile, as Django's own test client does.
The schema is loaded when the module is collected (the request needs no database):
schemathesis's lazy ``from_fixture`` loader does not work with pytest 9.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from tests.api.helpers import api_client

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def token(dataset):
    """A coordinator's token: reads the whole zone and may enter, submit and review."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield api_client("vhxh.tonghop").defaults["HTTP_AUTHORIZATION"]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_documented(case, token):
    # Every check but "schema-valid data is accepted": a period code or a figure can match
    # its schema (any string, any number) and still be refused by the rules, in Vietnamese
    # (ky_khong_hop_le, quy_tac_nghiep_vu), which is the documented behaviour.
    case.call_and_validate(
        headers={"Authorization": token}, excluded_checks=[positive_data_acceptance]
    )
