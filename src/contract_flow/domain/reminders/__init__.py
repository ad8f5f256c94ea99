"""Reminders: the policies (configs/reminders.toml) and the planner, a pure function of a case's facts."""

from contract_flow.domain.reminders.planner import CaseFacts, PlannedReminder, ReminderKind, plan, worth_planning
from contract_flow.domain.reminders.policies import ReminderPolicies, defer_past_quiet_hours, parse_policies

__all__ = [
    "CaseFacts",
    "PlannedReminder",
    "ReminderKind",
    "ReminderPolicies",
    "defer_past_quiet_hours",
    "parse_policies",
    "plan",
    "worth_planning",
]
