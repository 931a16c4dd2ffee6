"""Where Terraform (AWS provider) keeps IAM policies: data, so the docs table and the reader
cannot drift apart (docs/terraform.md is generated from it).

``POLICY_ATTRIBUTES`` maps a resource type to the places it holds a policy: an attribute path
through nested blocks (``inline_policy/*/policy``: the ``policy`` of each ``inline_policy``
block), the kind of policy, whether it is inline and what it is attached to, as the
CloudFormation table does. ``STATEMENT_RESOURCES`` are resources that are one resource-policy
statement spelled as attributes (``aws_lambda_permission``). ``MANAGED_ATTACHMENTS`` are the
resources that attach a managed policy by ARN, which says what a ``aws_iam_policy`` is attached
to. Nothing here imports anything: the reader imports it when it reads a file.
"""

from __future__ import annotations


class Where:
    """One place a resource type keeps a policy: a path of nested block types (``*``: each block
    of that type) ending at an attribute."""

    __slots__ = ("path", "kind", "inline", "attached", "holder")

    def __init__(self, path: str, kind: str, inline: bool = False, attached: str = "",
                 holder: str | None = None) -> None:
        self.path = tuple(path.split("/"))
        self.kind = kind  # identity, trust, resource, or organizations (SCP / RCP by `type`)
        self.inline = inline
        self.attached = attached  # role, user, group; "" when the policy is attached elsewhere
        # what the policy protects, as a CloudFormation type (PolicyDocument.holder)
        self.holder = holder

    @property
    def attribute(self) -> str:
        return self.path[-1]


def _resource(holder: str | None, attribute: str = "policy") -> list[Where]:
    return [Where(attribute, "resource", holder=holder)]


POLICY_ATTRIBUTES: dict[str, list[Where]] = {
    # IAM (P0/P1 of docs: the resources that hold nearly every Terraform policy)
    "aws_iam_role": [Where("assume_role_policy", "trust", attached="role", holder="AWS::IAM::Role"),
                     Where("inline_policy/*/policy", "identity", inline=True, attached="role")],
    "aws_iam_policy": [Where("policy", "identity")],
    "aws_iam_role_policy": [Where("policy", "identity", inline=True, attached="role")],
    "aws_iam_user_policy": [Where("policy", "identity", inline=True, attached="user")],
    "aws_iam_group_policy": [Where("policy", "identity", inline=True, attached="group")],
    "aws_ssoadmin_permission_set_inline_policy": [Where("inline_policy", "identity", inline=True, attached="role")],
    "aws_organizations_policy": [Where("content", "organizations")],
    # resource policies: the same services as the CloudFormation table, and their separate resources
    "aws_s3_bucket": _resource("AWS::S3::Bucket"),  # provider v3 and earlier
    "aws_s3_bucket_policy": _resource("AWS::S3::Bucket"),
    "aws_s3_access_point": _resource("AWS::S3::AccessPoint"),
    "aws_s3control_access_point_policy": _resource("AWS::S3::AccessPoint"),
    "aws_s3control_bucket_policy": _resource("AWS::S3Outposts::Bucket"),
    "aws_s3control_object_lambda_access_point_policy": _resource("AWS::S3ObjectLambda::AccessPoint"),
    "aws_s3control_multi_region_access_point_policy": _resource("AWS::S3::MultiRegionAccessPoint", "details/*/policy"),
    "aws_s3tables_table_bucket_policy": _resource("AWS::S3Tables::TableBucket", "resource_policy"),
    "aws_s3tables_table_policy": _resource("AWS::S3Tables::Table", "resource_policy"),
    "aws_sqs_queue": _resource("AWS::SQS::Queue"),
    "aws_sqs_queue_policy": _resource("AWS::SQS::Queue"),
    "aws_sns_topic": _resource("AWS::SNS::Topic"),
    "aws_sns_topic_policy": _resource("AWS::SNS::Topic"),
    "aws_kms_key": _resource("AWS::KMS::Key"),
    "aws_kms_key_policy": _resource("AWS::KMS::Key"),
    "aws_kms_replica_key": _resource("AWS::KMS::Key"),
    "aws_kms_external_key": _resource("AWS::KMS::Key"),
    "aws_kms_replica_external_key": _resource("AWS::KMS::Key"),
    "aws_secretsmanager_secret": _resource("AWS::SecretsManager::Secret"),  # deprecated in favour of the next
    "aws_secretsmanager_secret_policy": _resource("AWS::SecretsManager::Secret"),
    "aws_ecr_repository_policy": _resource("AWS::ECR::Repository"),
    "aws_ecr_registry_policy": _resource("AWS::ECR::Registry"),
    "aws_ecrpublic_repository_policy": _resource("AWS::ECR::PublicRepository"),
    "aws_cloudwatch_log_resource_policy": _resource("AWS::Logs::ResourcePolicy", "policy_document"),
    "aws_cloudwatch_log_destination_policy": _resource("AWS::Logs::Destination", "access_policy"),
    "aws_vpc_endpoint": _resource("AWS::EC2::VPCEndpoint"),
    "aws_vpc_endpoint_policy": _resource("AWS::EC2::VPCEndpoint"),
    "aws_opensearch_domain": _resource("AWS::OpenSearchService::Domain", "access_policies"),
    "aws_opensearch_domain_policy": _resource("AWS::OpenSearchService::Domain", "access_policies"),
    "aws_elasticsearch_domain": _resource("AWS::Elasticsearch::Domain", "access_policies"),
    "aws_elasticsearch_domain_policy": _resource("AWS::Elasticsearch::Domain", "access_policies"),
    "aws_api_gateway_rest_api": _resource("AWS::ApiGateway::RestApi"),
    "aws_api_gateway_rest_api_policy": _resource("AWS::ApiGateway::RestApi"),
    "aws_backup_vault_policy": _resource("AWS::Backup::BackupVault"),
    "aws_efs_file_system_policy": _resource("AWS::EFS::FileSystem"),
    "aws_dynamodb_resource_policy": _resource("AWS::DynamoDB::Table"),
    "aws_cloudwatch_event_bus_policy": _resource("AWS::Events::EventBus"),
    "aws_codeartifact_domain_permissions_policy": _resource("AWS::CodeArtifact::Domain", "policy_document"),
    "aws_codeartifact_repository_permissions_policy": _resource("AWS::CodeArtifact::Repository", "policy_document"),
    "aws_kinesis_resource_policy": _resource("AWS::Kinesis::Stream"),
    "aws_media_store_container_policy": _resource("AWS::MediaStore::Container"),
    "aws_glue_resource_policy": _resource("AWS::Glue::Catalog"),
    "aws_glacier_vault": _resource("AWS::Glacier::Vault", "access_policy"),
    "aws_glacier_vault_lock": _resource("AWS::Glacier::Vault"),
    "aws_ses_identity_policy": _resource("AWS::SES::EmailIdentity"),
    "aws_sagemaker_model_package_group_policy": _resource("AWS::SageMaker::ModelPackageGroup", "resource_policy"),
    "aws_networkfirewall_resource_policy": _resource(None),
    "aws_xray_resource_policy": _resource("AWS::XRay::ResourcePolicy", "policy_document"),
    "aws_acmpca_policy": _resource("AWS::ACMPCA::CertificateAuthority"),
    "aws_schemas_registry_policy": _resource("AWS::EventSchemas::Registry"),
    "aws_redshiftserverless_resource_policy": _resource(None),
    "aws_organizations_resource_policy": _resource("AWS::Organizations::ResourcePolicy", "content"),
}
ORGANIZATIONS_KINDS = {"SERVICE_CONTROL_POLICY": "scp", "RESOURCE_CONTROL_POLICY": "rcp"}
ORGANIZATIONS_DEFAULT = "SERVICE_CONTROL_POLICY"  # the provider's default `type`

# One resource-policy statement spelled as attributes: the statement is built by the function of
# ``iamlint.statements`` named by ``build`` (the one the CloudFormation reader uses), from the
# attributes named as CloudFormation names the properties (``properties``: attribute ->
# property). A condition attribute iamlint cannot know (``try(x, null)``) is kept under its own
# condition key, as a value only known when deployed, and the known ones beside it.
STATEMENT_RESOURCES: dict[str, dict] = {
    "aws_lambda_permission": {
        "holder": "AWS::Lambda::Function", "build": "lambda_permission",
        "properties": {"principal": "Principal", "action": "Action", "function_name": "FunctionName",
                       "source_arn": "SourceArn", "source_account": "SourceAccount",
                       "principal_org_id": "PrincipalOrgID", "function_url_auth_type": "FunctionUrlAuthType",
                       "event_source_token": "EventSourceToken",
                       "invoked_via_function_url": "InvokedViaFunctionUrl"}},
    "aws_lambda_layer_version_permission": {
        "holder": "AWS::Lambda::LayerVersion", "build": "layer_version_permission",
        "properties": {"principal": "Principal", "action": "Action", "layer_name": "LayerVersionArn",
                       "organization_id": "OrganizationId"}},
}
# Settings rules read by name (Document.settings): setting -> {resource type: attribute path}
SETTINGS: dict[str, dict[str, str]] = {
    "function-url-auth-type": {"aws_lambda_function_url": "authorization_type"},
}

# Resources that attach managed policies by ARN: type -> (attribute holding the ARN or ARNs,
# what it attaches to; "" = the resource's `users` / `roles` / `groups`)
MANAGED_ATTACHMENTS: dict[str, tuple[str, str]] = {
    "aws_iam_role_policy_attachment": ("policy_arn", "role"),
    "aws_iam_user_policy_attachment": ("policy_arn", "user"),
    "aws_iam_group_policy_attachment": ("policy_arn", "group"),
    "aws_iam_policy_attachment": ("policy_arn", ""),
    "aws_iam_role": ("managed_policy_arns", "role"),
    "aws_iam_role_policy_attachments_exclusive": ("policy_arns", "role"),
    "aws_iam_user_policy_attachments_exclusive": ("policy_arns", "user"),
    "aws_iam_group_policy_attachments_exclusive": ("policy_arns", "group"),
    "aws_ssoadmin_managed_policy_attachment": ("managed_policy_arn", "role"),
}
ATTACHMENT_TARGETS = {"roles": "role", "users": "user", "groups": "group"}

# The attributes of a `data "aws_iam_policy_document"` that name other documents merged into it
MERGED_DOCUMENTS = ("source_policy_documents", "override_policy_documents", "source_json", "override_json")

# `data "aws_iam_policy_document"` -> the IAM policy elements
DOCUMENT_ELEMENTS = {"sid": "Sid", "effect": "Effect", "actions": "Action", "not_actions": "NotAction",
                     "resources": "Resource", "not_resources": "NotResource"}
PRINCIPAL_BLOCKS = {"principals": "Principal", "not_principals": "NotPrincipal"}


def terraform_table() -> str:
    """Markdown table of where Terraform keeps policies (generated into docs/terraform.md)."""
    kinds = {"organizations": " / ".join(f"{k} when `type` is `{t}`" for t, k in ORGANIZATIONS_KINDS.items())
             + " (the default `type` is an SCP)"}
    lines = ["| resource type | attribute | policy kind | inline | attached to |", "|---|---|---|---|---|"]
    for resource_type, places in POLICY_ATTRIBUTES.items():
        for where in places:
            path = ".".join("[]" if step == "*" else step for step in where.path).replace(".[]", "[]")
            attached = where.attached or ("the attachment resources that name its ARN" if where.kind == "identity"
                                          else "")
            lines.append(f"| `{resource_type}` | `{path}` | {kinds.get(where.kind, where.kind)} | "
                         f"{'yes' if where.inline else ''} | {attached} |")
    for resource_type, elements in STATEMENT_RESOURCES.items():
        attributes = list(elements["properties"])
        lines.append(f"| `{resource_type}` | {', '.join(f'`{a}`' for a in attributes)} | resource (one statement) "
                     "|  |  |")
    return "\n".join(lines) + "\n"


def attachments_table() -> str:
    """Markdown table of the resources that attach managed policies (docs/terraform.md)."""
    lines = ["| resource type | attribute | attached to |", "|---|---|---|"]
    for resource_type, (attribute, target) in MANAGED_ATTACHMENTS.items():
        lines.append(f"| `{resource_type}` | `{attribute}` | {target or '`users` / `roles` / `groups`'} |")
    return "\n".join(lines) + "\n"
