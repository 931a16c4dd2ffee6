"""The rule registry: every built-in rule, listed explicitly (plugins add theirs: iamlint.plugins)."""

from __future__ import annotations

from iamlint.rules.base import ReaderRule, Rule
from iamlint.rules.credentials.hardcoded_credentials import HardcodedCredentials
from iamlint.rules.credentials.hardcoded_password import HardcodedPassword
from iamlint.rules.credentials.hardcoded_secret import HardcodedSecret
from iamlint.rules.credentials.long_term_access_key import LongTermAccessKey
from iamlint.rules.credentials.mfa_bool_pitfall import MfaBoolPitfall
from iamlint.rules.credentials.missing_mfa import MissingMfa
from iamlint.rules.credentials.secret_in_state import SecretInState
from iamlint.rules.credentials.trust_without_mfa import TrustWithoutMfa
from iamlint.rules.grammar.ampersand_policy_variable import AmpersandPolicyVariable
from iamlint.rules.grammar.conflicting_elements import ConflictingElements
from iamlint.rules.grammar.duplicate_sid import DuplicateSid
from iamlint.rules.grammar.element_not_allowed import ElementNotAllowed
from iamlint.rules.grammar.invalid_action_format import InvalidActionFormat
from iamlint.rules.grammar.invalid_arn import InvalidArn
from iamlint.rules.grammar.invalid_condition_operator import InvalidConditionOperator
from iamlint.rules.grammar.invalid_effect import InvalidEffect
from iamlint.rules.grammar.invalid_sid import InvalidSid
from iamlint.rules.grammar.invalid_version import InvalidVersion
from iamlint.rules.grammar.missing_element import MissingElement
from iamlint.rules.grammar.missing_version import MissingVersion
from iamlint.rules.grammar.policy_too_large import PolicyTooLarge
from iamlint.rules.grammar.schema_violation import SchemaViolation
from iamlint.rules.grammar.unsubstituted_reference import UnsubstitutedReference
from iamlint.rules.privilege.allow_not_action import AllowNotAction
from iamlint.rules.privilege.allow_not_principal import AllowNotPrincipal
from iamlint.rules.privilege.allow_not_resource import AllowNotResource
from iamlint.rules.privilege.credentials_exposure import CredentialsExposure
from iamlint.rules.privilege.cross_account_resource_access import CrossAccountResourceAccess
from iamlint.rules.privilege.data_exfiltration import DataExfiltration
from iamlint.rules.privilege.full_admin import FullAdmin
from iamlint.rules.privilege.lambda_permission_action import LambdaPermissionAction
from iamlint.rules.privilege.passrole_wildcard import PassroleWildcard
from iamlint.rules.privilege.policy_lockout import PolicyLockout
from iamlint.rules.privilege.privilege_escalation import PrivilegeEscalation
from iamlint.rules.privilege.public_principal import PublicPrincipal
from iamlint.rules.privilege.service_principal_condition_key import ServicePrincipalConditionKey
from iamlint.rules.privilege.service_principal_without_source import ServicePrincipalWithoutSource
from iamlint.rules.privilege.service_wildcard import ServiceWildcard
from iamlint.rules.privilege.trust_without_external_id import TrustWithoutExternalId
from iamlint.rules.privilege.wildcard_action import WildcardAction
from iamlint.rules.privilege.wildcard_resource import WildcardResource
from iamlint.rules.service.allow_tag_key_unsupported import AllowTagKeyUnsupported
from iamlint.rules.service.audience_claim_qualifier import AudienceClaimQualifier
from iamlint.rules.service.condition_key_not_for_action import ConditionKeyNotForAction
from iamlint.rules.service.condition_type_mismatch import ConditionTypeMismatch
from iamlint.rules.service.deny_tag_key_unsupported import DenyTagKeyUnsupported
from iamlint.rules.service.imprecise_ip_condition import ImpreciseIpCondition
from iamlint.rules.service.irrelevant_condition_key import IrrelevantConditionKey
from iamlint.rules.service.missing_paired_condition_key import MissingPairedConditionKey
from iamlint.rules.service.missing_set_operator import MissingSetOperator
from iamlint.rules.service.negated_s3_prefix import NegatedS3Prefix
from iamlint.rules.service.private_ip_condition import PrivateIpCondition
from iamlint.rules.service.rcp_missing_guard import RcpMissingGuard
from iamlint.rules.service.rcp_unsupported_service import RcpUnsupportedService
from iamlint.rules.service.redundant_action import RedundantAction
from iamlint.rules.service.resource_policy_service_mismatch import ResourcePolicyServiceMismatch
from iamlint.rules.service.resource_type_mismatch import ResourceTypeMismatch
from iamlint.rules.service.retired_service import RetiredService
from iamlint.rules.service.set_operator_on_single_value import SetOperatorOnSingleValue
from iamlint.rules.service.string_operator_mismatch import StringOperatorMismatch
from iamlint.rules.service.unknown_action import UnknownAction
from iamlint.rules.service.unknown_condition_key import UnknownConditionKey
from iamlint.rules.service.unknown_service import UnknownService
from iamlint.rules.service.untrustworthy_condition_key import UntrustworthyConditionKey
from iamlint.rules.service.vpce_key_unsupported_service import VpceKeyUnsupportedService
from iamlint.rules.syntax.duplicate_key import DuplicateKey
from iamlint.rules.syntax.internal_error import InternalError
from iamlint.rules.syntax.invalid_suppression import InvalidSuppression
from iamlint.rules.syntax.invalid_syntax import InvalidSyntax
from iamlint.rules.syntax.number_out_of_range import NumberOutOfRange
from iamlint.rules.syntax.partial_results import PartialResults
from iamlint.rules.syntax.too_many_conditions import TooManyConditions
from iamlint.rules.syntax.unreadable_file import UnreadableFile
from iamlint.rules.syntax.unused_suppression import UnusedSuppression
from iamlint.rules.templates.admin_managed_policy import AdminManagedPolicy
from iamlint.rules.templates.deprecated_role_policy_arguments import DeprecatedRolePolicyArguments
from iamlint.rules.templates.exclusive_policy_attachment import ExclusivePolicyAttachment
from iamlint.rules.templates.inline_policy import InlinePolicy
from iamlint.rules.templates.missing_secure_transport import MissingSecureTransport
from iamlint.rules.templates.policy_attached_to_user import PolicyAttachedToUser
from iamlint.rules.templates.public_function_url import PublicFunctionUrl

# isort: split
# Access Analyzer parity, F2: principals, trust, federation, IAM users
from iamlint.rules.credentials.login_profile_without_reset import LoginProfileWithoutReset
from iamlint.rules.credentials.weak_oidc_trust import WeakOidcTrust
from iamlint.rules.grammar.invalid_principal import InvalidPrincipal
from iamlint.rules.privilege.unique_id_principal import UniqueIdPrincipal
from iamlint.rules.service.condition_key_not_for_service_principal import ConditionKeyNotForServicePrincipal
from iamlint.rules.service.redundant_principal import RedundantPrincipal
from iamlint.rules.service.trust_action_mismatch import TrustActionMismatch
from iamlint.rules.templates.user_without_group import UserWithoutGroup

# isort: split
# Access Analyzer parity, F1: ARNs, resources, redundancy, wildcard grants
# Access Analyzer parity, F3: condition grammar and values, policy variables
from iamlint.rules.grammar.duplicate_condition_key import DuplicateConditionKey
from iamlint.rules.grammar.empty_value import EmptyValue
from iamlint.rules.grammar.epoch_date import EpochDate
from iamlint.rules.grammar.invalid_arn_field import InvalidArnField
from iamlint.rules.grammar.invalid_policy_variable import InvalidPolicyVariable
from iamlint.rules.grammar.legacy_version import LegacyVersion
from iamlint.rules.grammar.wildcard_without_like import WildcardWithoutLike
from iamlint.rules.privilege.access_not_granted import AccessNotGranted
from iamlint.rules.privilege.permissive_condition_wildcard import PermissiveConditionWildcard
from iamlint.rules.privilege.service_linked_role_wildcard import ServiceLinkedRoleWildcard
from iamlint.rules.privilege.wildcard_arn_service import WildcardArnService
from iamlint.rules.service.arn_format_mismatch import ArnFormatMismatch
from iamlint.rules.service.redundant_condition import RedundantCondition
from iamlint.rules.service.redundant_resource import RedundantResource
from iamlint.rules.service.redundant_statement import RedundantStatement

BUILTIN_RULES: tuple[type[Rule], ...] = (
    InternalError, InvalidSyntax, DuplicateKey, UnreadableFile, UnusedSuppression, InvalidSuppression,
    NumberOutOfRange, PartialResults, TooManyConditions,
    SchemaViolation, MissingVersion, InvalidVersion, InvalidEffect, DuplicateSid, InvalidSid,
    ConflictingElements, MissingElement, ElementNotAllowed, InvalidActionFormat, InvalidArn,
    InvalidConditionOperator, PolicyTooLarge, AmpersandPolicyVariable, UnsubstitutedReference,
    InvalidArnField,
    UnknownService, UnknownAction, UnknownConditionKey, ConditionTypeMismatch, ResourceTypeMismatch, RedundantAction,
    RetiredService,
    ArnFormatMismatch, RedundantResource, RedundantStatement,
    PrivateIpCondition, ImpreciseIpCondition, StringOperatorMismatch, SetOperatorOnSingleValue, MissingSetOperator,
    AudienceClaimQualifier,
    ConditionKeyNotForAction, DenyTagKeyUnsupported, AllowTagKeyUnsupported, VpceKeyUnsupportedService,
    MissingPairedConditionKey, UntrustworthyConditionKey, NegatedS3Prefix, RcpUnsupportedService, RcpMissingGuard,
    FullAdmin, WildcardAction, ServiceWildcard, WildcardResource, AllowNotAction, AllowNotResource, PassroleWildcard,
    PrivilegeEscalation, DataExfiltration, CredentialsExposure, PublicPrincipal, AllowNotPrincipal,
    TrustWithoutExternalId,
    WildcardArnService, ServiceLinkedRoleWildcard, AccessNotGranted,
    InlinePolicy, PolicyAttachedToUser, AdminManagedPolicy, ExclusivePolicyAttachment, DeprecatedRolePolicyArguments,
    MissingMfa, TrustWithoutMfa, MfaBoolPitfall, LongTermAccessKey, HardcodedCredentials, HardcodedPassword,
    HardcodedSecret,
    SecretInState,
    # Access Analyzer parity, F2: principals, trust, federation, IAM users
    InvalidPrincipal, TrustActionMismatch, ConditionKeyNotForServicePrincipal, RedundantPrincipal, UniqueIdPrincipal,
    UserWithoutGroup, WeakOidcTrust, LoginProfileWithoutReset,
    # Access Analyzer parity, F3: condition grammar and values, policy variables
    InvalidPolicyVariable, DuplicateConditionKey, EmptyValue, LegacyVersion, WildcardWithoutLike, EpochDate,
    RedundantCondition, PermissiveConditionWildcard,
    # Access Analyzer parity, F6: resource policies, service principals, Lambda permissions
    ResourcePolicyServiceMismatch, IrrelevantConditionKey, ServicePrincipalWithoutSource, ServicePrincipalConditionKey,
    CrossAccountResourceAccess, PolicyLockout, LambdaPermissionAction, MissingSecureTransport, PublicFunctionUrl,
)

# Codes that were removed stay here forever, pointing at their replacement, so they are never reused.
REDIRECTS: dict[str, str] = {}


def find_rule(name_or_code: str, rules=BUILTIN_RULES) -> type[Rule] | None:
    wanted = REDIRECTS.get(name_or_code.upper(), name_or_code)
    for rule in rules:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    return None


__all__ = ["BUILTIN_RULES", "ReaderRule", "Rule", "find_rule"]
