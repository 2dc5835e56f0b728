"""Validation rules live in the database: the built-in ones are installed with the dataset,
administrators switch them off or add their own, and entry and submission use them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from theodoi.domain.periods import parse_period
from theodoi.domain.rules import BUILTIN_RULES
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import ValidationRule
from theodoi.progress.selectors.figures import rule_violations
from theodoi.progress.services.periods import period_ensure

INCONSISTENT = {
    "dossiers.received": Decimal(1000),
    "dossiers.online": Decimal(900),
    "dossiers.direct": Decimal(50),
}


@pytest.fixture
def q1(dataset):
    return period_ensure(period=parse_period("2026-Q1"), user=None)


def tthcc():
    return OrgUnit.objects.get(code="CATHAI-TTHCC")


def test_builtin_rules_are_installed_with_the_dataset(dataset):
    stored = set(ValidationRule.objects.filter(is_builtin=True).values_list("code", flat=True))
    assert stored == {rule.code for rule in BUILTIN_RULES}


def test_stored_rule_catches_inconsistent_figures_and_can_be_switched_off(q1):
    codes = {v.rule.code for v in rule_violations(unit=tthcc(), period=q1, overrides=INCONSISTENT)}
    assert "dossiers_by_channel" in codes
    ValidationRule.objects.filter(code="dossiers_by_channel").update(is_active=False)
    codes = {v.rule.code for v in rule_violations(unit=tthcc(), period=q1, overrides=INCONSISTENT)}
    assert "dossiers_by_channel" not in codes


def test_an_administrators_rule_applies(q1):
    ValidationRule.objects.create(
        code="online_at_most_double",
        name="Hồ sơ trực tuyến không quá gấp đôi hồ sơ trực tiếp",
        left="dossiers.online",
        operator="≤",
        right="dossiers.direct + dossiers.direct",
        importance="low",
        message="Hồ sơ trực tuyến ({left}) vượt gấp đôi hồ sơ trực tiếp ({right}).",
    )
    violations = rule_violations(unit=tthcc(), period=q1, overrides=INCONSISTENT)
    mine = [v for v in violations if v.rule.code == "online_at_most_double"]
    assert mine and "900" in mine[0].message and "100" in mine[0].message


def test_a_rule_with_a_bad_expression_is_refused_in_vietnamese(dataset):
    rule = ValidationRule(
        code="sai",
        name="Sai",
        left="dossiers.online * 2",
        operator="=",
        right="dossiers.received",
        message="x",
    )
    with pytest.raises(ValidationError, match="Biểu thức"):
        rule.full_clean()
