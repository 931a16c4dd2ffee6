"""What each kind of resource that holds a policy is, in one table every rule reads: what to call
it, the service actions its policy may name, and the actions that change the policy itself.

A policy's holder (``PolicyDocument.holder``) is a CloudFormation resource type used as a
vocabulary whatever the format (`AWS::S3::Bucket` for an S3 bucket policy from a template, a
Terraform `aws_s3_bucket_policy` or CDK output alike), so rules key on it, never on a format's own
spelling. A holder not in the table (or none: a policy file) is one rules know nothing about.
"""

from __future__ import annotations

from collections import namedtuple


class Holder(namedtuple("Holder", "noun policy services manages")):
    """One resource type that holds a policy:

    - ``noun``: what a message calls one (``queue``: "may use this queue");
    - ``policy``: what its policy is called (``SQS queue policy``);
    - ``services``: the service prefixes of the actions and resource ARNs its policy may name
      (empty: not known, nothing is checked);
    - ``manages``: the actions that replace or delete the policy, which a policy may lock everyone
      out of (empty: none known, or the policy does not govern them).
    """

    __slots__ = ()


def _holder(noun: str, policy: str, services: str = "", manages: str = "") -> Holder:
    return Holder(noun, policy, frozenset(services.split()), tuple(manages.split()))


HOLDERS: dict[str, Holder] = {
    "AWS::S3::Bucket": _holder("bucket", "S3 bucket policy", "s3", "s3:PutBucketPolicy s3:DeleteBucketPolicy"),
    "AWS::S3::AccessPoint": _holder("access point", "S3 access point policy", "s3"),
    "AWS::S3::MultiRegionAccessPoint": _holder("Multi-Region Access Point", "S3 Multi-Region Access Point policy",
                                               "s3"),
    "AWS::S3Express::DirectoryBucket": _holder("directory bucket", "S3 directory bucket policy", "s3express"),
    "AWS::S3Outposts::Bucket": _holder("bucket", "S3 on Outposts bucket policy", "s3-outposts"),
    "AWS::SQS::Queue": _holder("queue", "SQS queue policy", "sqs", "sqs:SetQueueAttributes"),
    "AWS::SNS::Topic": _holder("topic", "SNS topic policy", "sns", "sns:SetTopicAttributes"),
    "AWS::KMS::Key": _holder("key", "KMS key policy", "kms", "kms:PutKeyPolicy"),
    "AWS::SecretsManager::Secret": _holder("secret", "Secrets Manager secret policy", "secretsmanager",
                                           "secretsmanager:PutResourcePolicy secretsmanager:DeleteResourcePolicy"),
    "AWS::ECR::Repository": _holder("repository", "ECR repository policy", "ecr",
                                    "ecr:SetRepositoryPolicy ecr:DeleteRepositoryPolicy"),
    "AWS::ECR::PublicRepository": _holder("repository", "ECR Public repository policy", "ecr-public",
                                          "ecr-public:SetRepositoryPolicy ecr-public:DeleteRepositoryPolicy"),
    "AWS::ECR::Registry": _holder("registry", "ECR registry policy", "ecr"),
    "AWS::Logs::ResourcePolicy": _holder("account's log groups", "CloudWatch Logs resource policy", "logs"),
    "AWS::Logs::Destination": _holder("destination", "CloudWatch Logs destination policy", "logs"),
    "AWS::EC2::VPCEndpoint": _holder("VPC endpoint", "VPC endpoint policy"),  # any service's actions
    "AWS::OpenSearchService::Domain": _holder("domain", "OpenSearch domain access policy", "es"),
    "AWS::Elasticsearch::Domain": _holder("domain", "Elasticsearch domain access policy", "es"),
    "AWS::ApiGateway::RestApi": _holder("API", "API Gateway resource policy", "execute-api"),
    "AWS::Backup::BackupVault": _holder("vault", "Backup vault access policy", "backup"),
    "AWS::EFS::FileSystem": _holder("file system", "EFS file system policy", "elasticfilesystem",
                                    "elasticfilesystem:PutFileSystemPolicy"),
    "AWS::DynamoDB::Table": _holder("table", "DynamoDB resource policy", "dynamodb",
                                    "dynamodb:PutResourcePolicy dynamodb:DeleteResourcePolicy"),
    "AWS::Events::EventBus": _holder("event bus", "EventBridge event bus policy", "events"),
    # a domain policy lets other accounts fetch a token: `sts:GetServiceBearerToken` is part of it
    "AWS::CodeArtifact::Domain": _holder("domain", "CodeArtifact domain policy", "codeartifact sts"),
    "AWS::CodeArtifact::Repository": _holder("repository", "CodeArtifact repository policy", "codeartifact"),
    "AWS::Kinesis::Stream": _holder("stream", "Kinesis stream policy", "kinesis"),
    "AWS::Glue::Catalog": _holder("Data Catalog", "Glue Data Catalog policy", "glue"),
    "AWS::Glacier::Vault": _holder("vault", "S3 Glacier vault access policy", "glacier"),
    "AWS::MediaStore::Container": _holder("container", "MediaStore container policy", "mediastore"),
    "AWS::Lambda::Function": _holder("function", "Lambda function permission", "lambda"),
    "AWS::Lambda::LayerVersion": _holder("layer version", "Lambda layer permission", "lambda"),
    "AWS::IAM::Role": _holder("role", "role trust policy", "sts"),
}


def holder(name: str | None) -> Holder | None:
    """The table's entry for a policy's holder; None when unknown."""
    return HOLDERS.get(name) if name is not None else None


def this(name: str | None, default: str = "resource") -> str:
    """``this queue``: the holder as a message names it (``this resource`` when unknown)."""
    entry = holder(name)
    return f"this {entry.noun if entry is not None else default}"


def policy_name(name: str | None, default: str = "policy") -> str:
    """``SQS queue policy``: the holder's policy as a message names it."""
    entry = holder(name)
    return entry.policy if entry is not None else default
