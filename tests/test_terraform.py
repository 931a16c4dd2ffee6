"""Terraform through the real command line: each spelling of a policy at the exact token, the
rules for values iamlint cannot know (none may produce a finding from a guess), kinds across the
files of a module folder, locals, files read by file()/templatefile(), suppressions, broken
files, JSON syntax and OpenTofu."""

from __future__ import annotations

import textwrap

import pytest

from conftest import run_main


def lint(folder, files: dict[str, str], *argv: str, select: str | None = None, names=None) -> list[str]:
    """``path:line:col CODE`` of every diagnostic, linting ``names`` (default: the whole folder)."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    args = ["--isolated", "--format", "json", *argv]
    if select:
        args += ["--select", select]
    run = run_main(*args, *(names or ["."]), cwd=folder)
    assert run.code in (0, 1), run.err
    return [f"{d['path']}:{d['line']}:{d['column']} {d['code']}" for d in run.json()]


def at(text: str, needle: str, nth: int = 1) -> str:
    """``line:col`` (1-based, code points) of the ``nth`` occurrence of ``needle`` in a test file's text."""
    text = textwrap.dedent(text).lstrip("\n")
    offset = -1
    for _ in range(nth):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def messages(folder, *argv: str) -> list[str]:
    run = run_main("--isolated", "--format", "json", *argv, cwd=folder)
    return [f"{d['path']}:{d['line']}:{d['column']} {d['code']} {d['message']}" for d in run.json()]


# --- positions, spelling by spelling ---------------------------------------------------------

def test_jsonencode_reports_at_the_value(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        resource "aws_iam_policy" "p" {
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect   = "Allow"
              Action   = ["s3:GetObject", "s3:*"]
              Resource = "*"
            }]
          })
        }
        '''}, select="IAM303,IAM304")
    assert found == ["main.tf:6:35 IAM303", "main.tf:7:18 IAM304"]


def test_heredoc_after_an_interpolation_on_the_same_line(tmp_path):
    found = lint(tmp_path, {"main.tf": (text := '''
        resource "aws_iam_role_policy" "p" {
          role   = "r"
          policy = <<EOF
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "arn:aws:s3:::${var.bucket}/*", "Action": "s3:*"}]}
        EOF
        }
        ''')}, select="IAM303,IAM111")
    assert found == ["main.tf:" + at(text, '"s3:*"') + " IAM303"] == ["main.tf:4:115 IAM303"]  # the ARN is not invalid


def test_flush_heredoc_and_non_ascii_text_count_code_points(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        # Richtlinie für Prüfer 😀
        resource "aws_iam_policy" "p" {
          policy = <<-EOT
            {
              "Version": "2012-10-17",
              "Statement": [{"Sid": "Zugriff für Müller 😀", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]
            }
          EOT
        }
        '''}, select="IAM303")
    line = '      "Statement": [{"Sid": "Zugriff für Müller 😀", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]'
    column = line.index('"ec2:*"') + 1  # in code points: the emoji is one
    assert found == [f"main.tf:6:{column} IAM303"]


def test_policy_document_findings_point_at_attribute_names_and_strings(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        data "aws_iam_policy_document" "p" {
          statement {
            sid       = "Bad Sid"
            actions   = ["s3:GetObject", "ec2:*"]
            not_actions = ["iam:*"]
            resources = ["*"]
          }
          statement {
            effect = "Permit"
            actions = ["s3:GetObject"]
            resources = ["arn:aws:s3:::b/*"]
            condition {
              test     = "StringEqual"
              variable = "aws:PrincipalOrgID"
              values   = ["o-1234567890"]
            }
          }
        }

        resource "aws_iam_policy" "p" {
          policy = data.aws_iam_policy_document.p.json
        }
        '''}, select="IAM104,IAM106,IAM107,IAM112,IAM303")
    # Sid at its string, the conflict at `not_actions`, a wildcard at its string, the effect at its
    # value, the operator at `test`'s string
    assert found == ["main.tf:3:17 IAM106", "main.tf:4:34 IAM303", "main.tf:5:5 IAM107", "main.tf:9:14 IAM104",
                     "main.tf:13:18 IAM112"]


def test_principals_and_defaults_of_a_policy_document(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        data "aws_iam_policy_document" "bucket" {
          statement {
            actions   = ["s3:GetObject"]
            resources = ["arn:aws:s3:::b/*"]
            principals {
              type        = "*"
              identifiers = ["*"]
            }
          }
        }

        resource "aws_s3_bucket_policy" "b" {
          bucket = "b"
          policy = data.aws_iam_policy_document.bucket.json
        }
        '''}, select="IAM311")
    assert found == ["main.tf:7:22 IAM311"]  # the identifiers' "*"


# --- values iamlint cannot know (reference §6.4) ----------------------------------------------

def test_interpolated_strings_references_and_calls_are_never_read_as_wildcards(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        variable "bucket_arn" {
          default = "*"
        }

        resource "aws_iam_policy" "p" {
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect   = "Allow"
              Action   = ["s3:GetObject"]
              Resource = [var.bucket_arn, "${module.b.arn}/*", concat(local.x, ["y"]), "arn:aws:s3:::${var.b}"]
            }, {
              Effect    = "Allow"
              Action    = "s3:GetObject"
              Resource  = "arn:aws:s3:::home/$${aws:username}/*"
            }]
          })
        }
        '''})
    assert found == []  # no wildcard from a variable's default, no invalid ARN from an interpolation


def test_conditionals_are_both_branches_and_null_is_absent(tmp_path):
    found = messages(tmp_path := _folder(tmp_path, {"main.tf": '''
        resource "aws_iam_policy" "p" {
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect      = "Allow"
              Action      = var.admin ? "*" : "s3:GetObject"
              NotResource = null
              Resource    = "*"
            }]
          })
        }
        '''}), "--select", "IAM301,IAM108,IAM107", ".")
    assert found == [("main.tf:6:33 IAM301 statement allows every action (`*`) on every resource (`*`): full administrator "
                      "access (when `var.admin` is true)")]


def test_an_unknown_half_of_a_pair_that_may_be_null_is_left_out(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        data "aws_iam_policy_document" "p" {
          dynamic "statement" {
            for_each = var.statements
            content {
              sid         = try(statement.value.sid, null)
              actions     = try(statement.value.actions, null)
              not_actions = try(statement.value.not_actions, null)
              resources   = try(statement.value.resources, null)
            }
          }
          statement {
            actions     = ["s3:GetObject"]
            not_actions = try(var.not_actions, null)
            resources   = ["arn:aws:s3:::b/*"]
          }
        }
        '''}, select="IAM1")
    assert found == []  # no conflicting Action/NotAction (IAM107), nothing missing (IAM108)


def test_dynamic_conditions_and_principals_are_unknown_not_absent(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        data "aws_iam_policy_document" "trust" {
          statement {
            actions = ["sts:AssumeRoleWithWebIdentity"]
            principals {
              type        = "Federated"
              identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
            }
            dynamic "condition" {
              for_each = var.conditions
              content {
                test     = condition.value.test
                variable = condition.value.variable
                values   = condition.value.values
              }
            }
          }
          statement {
            actions = ["sts:AssumeRole"]
            dynamic "principals" {
              for_each = var.principals
              content {
                type        = principals.value.type
                identifiers = principals.value.identifiers
              }
            }
          }
          statement {
            actions = ["sts:AssumeRole"]
            principals {
              type        = "AWS"
              identifiers = ["arn:aws:iam::444455556666:root"]
            }
            condition {
              test     = "StringEquals"
              variable = "${var.provider}:sub"
              values   = ["x"]
            }
          }
        }

        resource "aws_iam_role" "r" {
          assume_role_policy = data.aws_iam_policy_document.trust.json
        }
        '''}, select="IAM1,IAM2,IAM311,IAM313,IAM502")
    assert found == []


def test_mutually_exclusive_dynamic_statements_may_share_a_sid(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        data "aws_iam_policy_document" "repository" {
          dynamic "statement" {
            for_each = var.read_only ? [1] : []
            content {
              sid     = "ReadWrite"
              actions = ["ecr:BatchGetImage"]
              principals {
                type        = "AWS"
                identifiers = ["arn:aws:iam::111122223333:root"]
              }
            }
          }
          dynamic "statement" {
            for_each = var.read_only ? [] : [1]
            content {
              sid     = "ReadWrite"
              actions = ["ecr:BatchGetImage", "ecr:PutImage"]
              principals {
                type        = "AWS"
                identifiers = ["arn:aws:iam::111122223333:root"]
              }
            }
          }
        }

        resource "aws_ecr_repository_policy" "r" {
          repository = "r"
          policy     = data.aws_iam_policy_document.repository.json
        }
        '''}, select="IAM105")
    assert found == []


def test_kind_comes_from_the_consumer_in_another_file_and_through_merges(tmp_path):
    found = lint(tmp_path, {
        "documents.tf": '''
            data "aws_iam_policy_document" "base" {
              statement {
                actions = ["sts:AssumeRole"]
                principals {
                  type        = "Service"
                  identifiers = ["ec2.amazonaws.com"]
                }
              }
            }

            data "aws_iam_policy_document" "trust" {
              source_policy_documents = [data.aws_iam_policy_document.base.json]
              statement {
                actions = ["sts:TagSession"]
                principals {
                  type        = "Service"
                  identifiers = ["ec2.amazonaws.com"]
                }
              }
            }

            data "aws_iam_policy_document" "controller" {
              statement {
                actions   = ["ec2:RunInstances"]
                resources = ["*"]
              }
            }
            ''',
        "roles.tf": '''
            resource "aws_iam_role" "node" {
              assume_role_policy = one(data.aws_iam_policy_document.trust[*].json)
            }

            resource "aws_iam_role_policy" "controller" {
              role   = aws_iam_role.node.id
              policy = try(join("", data.aws_iam_policy_document.controller[*].json), "")
            }
            '''}, select="IAM108,IAM109,IAM401")
    # trust documents are not resource policies missing a Resource (IAM108); the controller policy
    # is an inline identity policy of the role file's resource, reported at its document
    assert found == ["documents.tf:22:1 IAM401"]  # data "aws_iam_policy_document" "controller"


USERS_AND_GROUPS = {
    "users.tf": '''
        resource "aws_iam_user" "alice" {
          name = "alice"
        }

        resource "aws_iam_user" "bob" {
          name = "bob"
        }

        # iamlint: ignore[IAM406] a break-glass user, reviewed in SEC-7
        resource "aws_iam_user" "carol" {
          name = "carol"
        }

        resource "aws_iam_user" "dave" {
          name = "dave"
        }
        ''',
    "groups.tf": '''
        resource "aws_iam_group" "developers" {
          name = "developers"
        }

        resource "aws_iam_user_group_membership" "alice" {
          user   = aws_iam_user.alice.name
          groups = [aws_iam_group.developers.name]
        }

        resource "aws_iam_group_membership" "developers" {
          name  = "developers"
          group = aws_iam_group.developers.name
          users = ["bob"]
        }
        ''',
    # another module: its memberships are not this module's
    "modules/team/main.tf": '''
        resource "aws_iam_user_group_membership" "dave" {
          user   = "dave"
          groups = ["developers"]
        }
        ''',
}


@pytest.mark.parametrize("names", [None, ["users.tf"], ["groups.tf"], ["groups.tf", "users.tf"]])
def test_a_users_group_memberships_are_looked_for_in_every_file_of_its_module(tmp_path, names):
    """As pre-commit passes only the changed files: the user is reported in its own file, once,
    whichever files are named; memberships of another module folder do not count."""
    found = lint(tmp_path, USERS_AND_GROUPS, select="IAM406", names=names)
    dave = at(USERS_AND_GROUPS["users.tf"], '"aws_iam_user" "dave"')
    assert found == ([] if names == ["groups.tf"] else [f"users.tf:{dave} IAM406"]) and dave == "14:10"


def test_a_user_of_an_unsaved_file_is_checked_against_its_folder_on_disk(tmp_path):
    from iamlint.config import Config
    from iamlint.incremental import IncrementalLinter
    from iamlint.rules import BUILTIN_RULES

    for name, text in USERS_AND_GROUPS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    linter = IncrementalLinter(BUILTIN_RULES, Config())
    edited = textwrap.dedent(USERS_AND_GROUPS["users.tf"]).lstrip("\n").replace('"bob"', '"robert"')
    found = linter.lint_text(str(tmp_path / "users.tf"), edited)
    # bob is renamed robert in the editor: the membership on disk names bob
    assert [(d.line, d.column) for d in found if d.code == "IAM406"] == [(5, 10), (14, 10)]


def test_admin_managed_policies_named_by_a_data_source_or_a_local_of_another_file(tmp_path):
    found = lint(tmp_path, {
        "data.tf": '''
            data "aws_iam_policy" "admin" {
              name = "AdministratorAccess"
            }

            locals {
              power_user = "arn:${data.aws_partition.current.partition}:iam::aws:policy/PowerUserAccess"
              read_only  = "arn:aws:iam::aws:policy/ReadOnlyAccess"
              name_only  = "AdministratorAccess"
            }
            ''',
        "main.tf": (text := '''
            resource "aws_iam_role_policy_attachment" "admin" {
              role       = aws_iam_role.ci.name
              policy_arn = data.aws_iam_policy.admin.arn
            }

            resource "aws_iam_role" "ci" {
              assume_role_policy  = data.aws_iam_policy_document.trust.json
              managed_policy_arns = [local.power_user, local.read_only, local.name_only]
            }
            ''')}, select="IAM403", names=["main.tf"])
    # at the use, in the file linted; a local that is no ARN is not a policy's name
    assert found == ["main.tf:" + at(text, "data.aws_iam_policy.admin.arn") + " IAM403",
                     "main.tf:" + at(text, "local.power_user") + " IAM403"]


def _statement(sid: str, action: str) -> str:
    sid_line = f'sid       = "{sid}"\n    ' if sid else ""
    return (f'  statement {{\n    {sid_line}actions   = ["{action}"]\n'
            '    resources = ["arn:aws:s3:::reports/*"]\n  }\n')


MERGED_INPUTS = {
    "inputs.tf": (
        'data "aws_iam_policy_document" "read" {\n' + _statement("Read", "s3:GetObject") + _statement("", "s3:ListBucket")
        + '}\n\ndata "aws_iam_policy_document" "write" {\n' + _statement("Read", "s3:PutObject") + '}\n\n'
        'data "aws_iam_policy_document" "twice" {\n' + _statement("Twice", "s3:GetObject")
        + _statement("Twice", "s3:GetObjectTagging") + '}\n\n'
        'data "aws_iam_policy_document" "maybe" {\n  dynamic "statement" {\n    for_each = var.extra\n'
        '    content {\n      sid       = "Read"\n      actions   = ["s3:PutObject"]\n'
        '      resources = ["arn:aws:s3:::reports/*"]\n    }\n  }\n}\n'),
}


def test_merged_documents_are_checked_whole_for_duplicate_sids(tmp_path):
    """Two sources with one Sid: the provider refuses them (reported at the second reference, in
    the file linted, naming the source); a Sid the own statements or an override replace is none;
    a duplicate inside one source is that source's (reported once, where it is written); an input
    iamlint cannot read (a variable, a maybe-statement) leaves the merged policy unchecked."""
    main = '''
        data "aws_iam_policy_document" "both" {
          source_policy_documents = [
            data.aws_iam_policy_document.read.json,
            data.aws_iam_policy_document.write.json,
          ]
        }

        data "aws_iam_policy_document" "replaced" {
          source_policy_documents   = [data.aws_iam_policy_document.read.json]
          override_policy_documents = [data.aws_iam_policy_document.write.json]
        }

        data "aws_iam_policy_document" "own" {
          source_policy_documents = [data.aws_iam_policy_document.read.json]
          statement {
            sid       = "Read"
            actions   = ["s3:GetObjectVersion"]
            resources = ["arn:aws:s3:::reports/*"]
          }
        }

        data "aws_iam_policy_document" "inner" {
          source_policy_documents = compact([data.aws_iam_policy_document.twice.json, ""])
        }

        data "aws_iam_policy_document" "unknown" {
          source_policy_documents = [data.aws_iam_policy_document.read.json, data.aws_iam_policy_document.write.json,
                                     var.extra]
        }

        data "aws_iam_policy_document" "maybe" {
          source_policy_documents = [data.aws_iam_policy_document.read.json, data.aws_iam_policy_document.maybe.json]
        }
        '''
    found = lint(tmp_path, {**MERGED_INPUTS, "main.tf": main}, select="IAM105")
    assert found == ["inputs.tf:" + at(MERGED_INPUTS["inputs.tf"], '"Twice"', 2) + " IAM105",
                     "main.tf:" + at(main, "data.aws_iam_policy_document.write.json") + " IAM105"]
    messages = [m for m in _messages(tmp_path, "IAM105") if m.startswith("main.tf")]
    assert messages == [("main.tf:4:5 IAM105 `Sid` 'Read' is already used by the statement at line 3 (in "
                         "`data.aws_iam_policy_document.write`, merged by `source_policy_documents`)")]
    # pre-commit passing only main.tf: the same finding, in main.tf
    assert lint(tmp_path, {}, select="IAM105", names=["main.tf"]) == found[1:]


def _messages(folder, select):
    return messages(folder, "--select", select, ".")


def test_a_merged_document_is_measured_whole_and_its_own_statements_are_not_measured_alone(tmp_path):
    accounts = ", ".join(f'"1111111111{i:02d}"' for i in range(60))

    def statement(sid: str) -> str:
        return (f'  statement {{\n    sid     = "{sid}"\n'
                '    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "Service"\n'
                '      identifiers = ["ec2.amazonaws.com"]\n    }\n    condition {\n      test     = "StringEquals"\n'
                f'      variable = "aws:SourceAccount"\n      values   = [{accounts}]\n    }}\n  }}\n')

    def trust(name: str, sid: str) -> str:
        return f'data "aws_iam_policy_document" "{name}" {{\n' + statement(sid) + '}\n'

    files = {
        "inputs.tf": trust("a", "A") + trust("b", "B"),
        "main.tf": '''
            data "aws_iam_policy_document" "trust" {
              source_policy_documents = [data.aws_iam_policy_document.a.json, data.aws_iam_policy_document.b.json]
            }

            data "aws_iam_policy_document" "not_known" {
              source_policy_documents = [data.aws_iam_policy_document.a.json, var.more]
            }

            resource "aws_iam_role" "r" {
              assume_role_policy = data.aws_iam_policy_document.trust.json
            }

            resource "aws_iam_role" "s" {
              assume_role_policy = data.aws_iam_policy_document.not_known.json
            }
            '''}
    assert lint(tmp_path, files, select="IAM113") == ["main.tf:1:1 IAM113"]
    assert "the policy has 2,150 characters without white space; a trust policy may have at most 2,048" in \
        _messages(tmp_path, "IAM113")[0]
    # with its own statements too large on their own, the whole is reported, once
    (tmp_path / "inputs.tf").write_text(trust("a", "A"), encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        'data "aws_iam_policy_document" "trust" {\n  override_policy_documents = [data.aws_iam_policy_document.a.json]\n'
        + statement("X") + statement("Y") + '}\n\n'
        'resource "aws_iam_role" "r" {\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n',
        encoding="utf-8")
    assert lint(tmp_path, {}, select="IAM113") == ["main.tf:1:1 IAM113"]
    assert "the policy has 3,2" in _messages(tmp_path, "IAM113")[0]  # three statements, not the own two


def test_the_summary_counts_the_documents_written_not_the_merged_ones(tmp_path):
    lint(tmp_path, {**MERGED_INPUTS, "main.tf": '''
        data "aws_iam_policy_document" "both" {
          source_policy_documents = [data.aws_iam_policy_document.read.json]
        }
        '''})
    run = run_main("--isolated", ".", cwd=tmp_path)
    assert "4 policies" in run.out  # read, write, twice, maybe; `both` has no statement of its own


def test_a_heredoc_that_only_breaks_at_an_interpolation_is_unknown_and_any_other_error_is_reported(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        resource "aws_iam_policy" "injected" {
          policy = <<EOF
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
          "Condition": { ${local.extra} "Bool": {"aws:SecureTransport": "true"}}}]}
        EOF
        }

        resource "aws_iam_policy" "typo" {
          policy = <<EOF
        {
          "Version": "2012-10-17"
          "Statement": []
        }
        EOF
        }
        '''}, select="IAM0,IAM1")
    assert found == ["main.tf:12:3 IAM001"]  # `"Statement"`, where a comma was expected


def test_variable_defaults_and_module_outputs_are_never_used(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        variable "actions" {
          default = ["*"]
        }

        module "policy" {
          source = "./policy"
        }

        resource "aws_iam_policy" "a" {
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
          })
        }

        resource "aws_iam_policy" "b" {
          policy = module.policy.json
        }
        '''})
    assert found == []


# --- locals ---------------------------------------------------------------------------------

def test_a_literal_local_is_reported_where_it_is_written_naming_its_use(tmp_path):
    folder = _folder(tmp_path, {
        "main.tf": '''
            locals {
              admin_actions = ["iam:*", "s3:GetObject"]
              bucket        = var.bucket
            }

            data "aws_iam_policy_document" "p" {
              statement {
                actions   = local.admin_actions
                resources = [local.bucket]
              }
            }
            ''',
        "other.tf": '''
            resource "aws_iam_policy" "q" {
              policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = local.admin_actions, Resource = "*" }] })
            }
            '''})
    found = messages(folder, "--select", "IAM303", ".")
    # the use in main.tf is inlined at the literal; other.tf's use of a local written in main.tf stays unknown
    assert found == [("main.tf:2:20 IAM303 statement allows every `iam` action (`iam:*`) (in `local.admin_actions`, "
                      "used by `data.aws_iam_policy_document.p`)")]


def test_a_local_holding_a_whole_policy_is_linted_once_with_its_users_kind(tmp_path):
    found = lint(tmp_path, {
        "locals.tf": (text := '''
            locals {
              trust = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::444455556666:root" } }]
              })
            }
            '''),
        "main.tf": '''
            resource "aws_iam_role" "a" {
              assume_role_policy = local.trust
            }
            resource "aws_iam_role" "b" {
              assume_role_policy = local.trust
            }
            '''}, select="IAM313,IAM108")
    assert found == ["locals.tf:" + at(text, '"arn:aws:iam::444455556666:root"') + " IAM313"]


# --- file() and templatefile() --------------------------------------------------------------

TEMPLATE_MODULE = {
    "main.tf": '''
        resource "aws_iam_role" "ci" {
          assume_role_policy = templatefile("${path.module}/policies/trust.json.tpl", { account = var.account })
        }

        resource "aws_iam_policy" "deploy" {
          policy = file("${path.module}/policies/deploy.json")
        }
        ''',
    "policies/trust.json.tpl": '''
        {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${account}:root"}, "Action": "sts:AssumeRole"},
                        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]
        }
        ''',
    "policies/deploy.json": '''
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}
        ''',
}


_DEPLOY, _TRUST = TEMPLATE_MODULE["policies/deploy.json"], TEMPLATE_MODULE["policies/trust.json.tpl"]
TEMPLATE_FINDINGS = [
    "policies/deploy.json:" + at(_DEPLOY, '"ec2:*"') + " IAM303",
    "policies/trust.json.tpl:" + at(_TRUST, '"arn:aws:iam::${account}:root"') + " IAM502",
    "policies/trust.json.tpl:" + at(_TRUST, '"*"') + " IAM311",
]


def test_a_template_file_is_reported_in_itself_with_its_users_kind(tmp_path):
    found = lint(tmp_path, TEMPLATE_MODULE, select="IAM303,IAM311,IAM502")
    # a trust policy (public principal); `arn:aws:iam::${account}:root` is an account principal;
    # the JSON file an identity policy: each once, in its own file
    assert found == TEMPLATE_FINDINGS


@pytest.mark.parametrize("names", [["main.tf"], ["policies/trust.json.tpl", "policies/deploy.json"],
                                   ["main.tf", "policies/deploy.json", "policies/trust.json.tpl"]])
def test_a_template_file_is_reported_once_whichever_files_are_named(tmp_path, names):
    found = lint(tmp_path, TEMPLATE_MODULE, select="IAM303,IAM311,IAM502", names=names)
    assert found == TEMPLATE_FINDINGS


def test_a_template_file_of_a_module_named_from_above_its_folder_is_found(tmp_path):
    """pre-commit names `infra/main.tf` from the repository's top: `${path.module}` is the
    module's folder, counted once (it was `infra/infra/...`, and the template was never read)."""
    found = lint(tmp_path, {
        "infra/main.tf": '''
            resource "aws_iam_policy" "p" {
              policy = file("${path.module}/policies/p.json")
            }
            ''',
        "infra/policies/p.json": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}',
    }, select="IAM303", names=["infra/main.tf"])
    assert found == ["infra/policies/p.json:1:71 IAM303"]


def test_with_only_policies_a_json_file_read_by_terraform_is_read_as_policy_json(tmp_path):
    found = lint(tmp_path, TEMPLATE_MODULE, "--only", "policies", select="IAM303,IAM311",
                 names=["policies/deploy.json"])
    assert found == TEMPLATE_FINDINGS[:1]


def test_a_suppression_above_the_resource_covers_its_template_file(tmp_path):
    module = dict(TEMPLATE_MODULE)
    module["main.tf"] = module["main.tf"].replace('        resource "aws_iam_role"',
                                                  '        # iamlint: ignore[IAM311] reviewed\n        resource "aws_iam_role"')
    found = lint(tmp_path, module, select="IAM303,IAM311,IAM502,IAM004")
    assert found == TEMPLATE_FINDINGS[:2]


def test_a_broken_template_file_is_an_error_in_that_file(tmp_path):
    found = lint(tmp_path, {
        "main.tf": '''
            resource "aws_iam_policy" "p" {
              policy = templatefile("${path.module}/p.tpl", {})
            }
            ''',
        "p.tpl": '{"Version": "2012-10-17" "Statement": []}\n'}, names=["main.tf"])
    assert found == ["p.tpl:1:26 IAM001"]


# --- suppressions ---------------------------------------------------------------------------

def test_suppressions_on_the_line_above_a_block_or_attribute_and_for_the_file(tmp_path):
    found = lint(tmp_path, {"main.tf": (text := '''
        // iamlint: ignore-file[IAM304]
        resource "aws_iam_policy" "a" {
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect   = "Allow"
              Action   = "s3:*"  # iamlint: ignore[IAM303] scratch bucket
              Resource = "*"
            }]
          })
        }

        # iamlint: ignore[service-wildcard, IAM309]
        # (reviewed)
        resource "aws_iam_policy" "b" {
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
        }

        data "aws_iam_policy_document" "c" {
          statement {
            # iamlint: ignore[IAM303]
            actions = [
              "ec2:*",
            ]
            resources = ["arn:aws:ec2:*:*:instance/*"]
          }
        }

        resource "aws_iam_policy" "d" {
          policy = data.aws_iam_policy_document.c.json  # iamlint: ignore[IAM309]
        }
        ''')}, select="IAM303,IAM304,IAM309,IAM004,IAM005")
    # what is left: IAM309 on line 7 (the comment there names IAM303 only), and the comment that
    # silences nothing on its line
    assert found == ["main.tf:" + at(text, '"s3:*"') + " IAM309", "main.tf:" + at(text, "# iamlint: ignore[IAM309]") + " IAM004"]


def test_a_suppression_without_rules_is_an_error(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        # iamlint: ignore
        resource "aws_iam_user" "u" {
          name = "u"
        }
        '''}, select="IAM005")
    assert found == ["main.tf:1:1 IAM005"]


# --- broken and foreign files -----------------------------------------------------------------

def test_broken_hcl_is_one_error_and_the_blocks_that_parsed_are_still_linted(tmp_path):
    found = lint(tmp_path, {"main.tf": (text := '''
        resource "aws_iam_policy" "before" {
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
        }

        resource "aws_iam_policy" "broken" {
          name   =
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ec2:*", Resource = "*" }] })
        }

        resource "aws_iam_policy" "after" {
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*" }] })
        }
        ''')}, select="IAM001,IAM303")
    # the error at the `=` without a value; the block it is in is skipped, the others linted
    assert found == ["main.tf:" + at(text, '"s3:*"') + " IAM303", "main.tf:6:10 IAM001",
                     "main.tf:" + at(text, '"sqs:*"') + " IAM303"]


def test_templates_that_hold_no_policy_and_unrelated_json_are_silent(tmp_path):
    found = lint(tmp_path, {
        "user_data.tpl": "#!/bin/sh\necho ${name} > /etc/hostname\n",
        "package.json": '{"name": "app", "version": "1.0.0"}\n',
        "main.tf": 'resource "aws_instance" "a" {\n  user_data = templatefile("${path.module}/user_data.tpl", {})\n}\n'})
    assert found == []


# --- JSON syntax, OpenTofu, .tfvars -----------------------------------------------------------

def test_json_syntax_as_cdktf_writes_it(tmp_path):
    found = lint(tmp_path, {"main.tf.json": (text := '''
        {
          "//": {"metadata": {"backend": "local"}},
          "data": {"aws_iam_policy_document": {"admin": {
            "statement": [{"actions": ["*"], "resources": ["*"]},
                          {"actions": ["s3:GetObject"], "resources": ["${aws_s3_bucket.b.arn}/*"]}]}}},
          "resource": {
            "aws_iam_role_policy": {"p": {"role": "${aws_iam_role.r.id}", "policy": "${data.aws_iam_policy_document.admin.json}"}},
            "aws_iam_policy": {"q": {"policy": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"ec2:*\\", \\"Resource\\": \\"*\\"}]}"}}
          }
        }
        ''')}, select="IAM301,IAM303,IAM401,IAM111")
    # the inline policy at the document's name, the rest at the token (inside a JSON string: its escaped quote)
    assert found == ["main.tf.json:" + at(text, '"admin"') + " IAM401", "main.tf.json:" + at(text, '"*"') + " IAM301",
                     "main.tf.json:" + at(text, '\\"ec2:*') + " IAM303"]


def test_opentofu_files_are_read_alike(tmp_path):
    found = lint(tmp_path, {"main.tofu": '''
        resource "aws_iam_access_key" "k" {
          user = "u"
        }
        '''}, select="IAM504,IAM507")
    assert found == ["main.tofu:1:10 IAM504", "main.tofu:1:10 IAM507"]


def test_only_terraform(tmp_path):
    files = {"main.tf": 'resource "aws_iam_access_key" "k" {\n  user = "u"\n}\n',
             "policy.json": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}\n'}
    assert lint(tmp_path, files, "--only", "terraform", select="IAM301,IAM504") == ["main.tf:1:10 IAM504"]
    assert lint(tmp_path, files, "--only", "policies", select="IAM301,IAM504") == [
        "policy.json:" + at(files["policy.json"], '"*"') + " IAM301"]


def test_summary_counts_the_policies_read(tmp_path):
    folder = _folder(tmp_path, {"main.tf": '''
        data "aws_iam_policy_document" "a" {
          statement {
            actions   = ["s3:GetObject"]
            resources = ["arn:aws:s3:::b/*"]
          }
        }
        resource "aws_iam_policy" "b" {
          policy = data.aws_iam_policy_document.a.json
        }
        resource "aws_iam_policy" "c" {
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }] })
        }
        '''})
    run = run_main("--isolated", ".", cwd=folder)
    assert run.out == "iamlint: no problems in 2 policies, 1 file checked\n"


# --- resource policies spelled as attributes, Organizations ---------------------------------

def test_lambda_permission_is_one_statement(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        resource "aws_lambda_permission" "public" {
          function_name = aws_lambda_function.f.function_name
          action        = "lambda:InvokeFunction"
          principal     = "*"
        }

        resource "aws_lambda_permission" "from_a_bucket" {
          function_name = aws_lambda_function.f.function_name
          action        = "lambda:InvokeFunction"
          principal     = "*"
          source_arn    = aws_s3_bucket.b.arn
        }

        resource "aws_lambda_permission" "maybe" {
          function_name = aws_lambda_function.f.function_name
          action        = "lambda:InvokeFunction"
          principal     = "*"
          source_arn    = try(each.value.source_arn, null)
        }
        '''}, select="IAM1,IAM2,IAM311")
    assert found == ["main.tf:4:19 IAM311"]


def test_organizations_policies_by_type(tmp_path):
    policy = 'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny", Action = "s3:*", Resource = "*" }] })'
    found = lint(tmp_path, {"main.tf": (text := f'''
        resource "aws_organizations_policy" "scp" {{
          content = {policy}
        }}
        resource "aws_organizations_policy" "rcp" {{
          type    = "RESOURCE_CONTROL_POLICY"
          content = {policy}
        }}
        resource "aws_organizations_policy" "tags" {{
          type    = "TAG_POLICY"
          content = jsonencode({{ tags = {{ CostCenter = {{ tag_key = {{ "@@assign" = "CostCenter" }} }} }} }})
        }}
        resource "aws_organizations_policy" "unknown" {{
          type    = var.type
          content = jsonencode({{ anything = "goes" }})
        }}
        ''')}, select="IAM1")
    # an RCP's statement needs a Principal (reported at the statement's brace); the SCP's does not;
    # tag and unknown types are not read
    assert found == ["main.tf:" + at(text, "{ Effect", 2) + " IAM108"]


def _folder(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return tmp_path


def test_the_terraform_page_shows_what_iamlint_prints():
    from conftest import REPO, run_cli

    page = (REPO / "docs" / "terraform.md").read_text(encoding="utf-8")
    block = page.split("```console\n$ iamlint examples/terraform\n", 1)[1].split("```", 1)[0]
    shown = [line for line in block.splitlines() if line and line != "..."]
    printed = run_cli("examples/terraform", cwd=REPO).out.splitlines()
    assert shown and all(line in printed for line in shown), [line for line in shown if line not in printed]


def test_a_file_that_is_not_terraform_is_no_error_and_a_half_written_one_is(tmp_path):
    found = lint(tmp_path, {
        "macros.tf": ";;; TinyFugue macros share the extension\n/def -i greet = /echo hello %1\n",
        "main.tf": 'resource "aws_iam_policy" "p" {\n  policy = \n'})
    assert found == ["main.tf:2:11 IAM001"]


def test_multi_region_access_point_policies_are_resource_policies(tmp_path):
    found = lint(tmp_path, {"main.tf": '''
        resource "aws_s3control_multi_region_access_point_policy" "p" {
          details {
            name   = "mrap"
            policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }] })
          }
        }
        '''}, select="IAM311")
    assert found == ["main.tf:4:96 IAM311"]  # the principal `"*"`


def test_what_a_policy_protects_is_its_cloudformation_type(tmp_path):
    """PolicyDocument.holder, as templates give it: the rules that ask (Access Analyzer's
    resource-type checks) read Terraform alike."""
    from iamlint.readers import Source
    from iamlint.readers.terraform import TerraformReader

    path = _folder(tmp_path, {"main.tf": '''
        data "aws_iam_policy_document" "queue" {
          statement {
            actions   = ["sqs:SendMessage"]
            resources = ["*"]
            principals {
              type        = "Service"
              identifiers = ["sns.amazonaws.com"]
            }
          }
        }
        resource "aws_sqs_queue_policy" "q" {
          queue_url = "q"
          policy    = data.aws_iam_policy_document.queue.json
        }
        resource "aws_iam_role" "r" {
          assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
        }
        resource "aws_lambda_permission" "p" {
          function_name = "f"
          action        = "lambda:InvokeFunction"
          principal     = "s3.amazonaws.com"
        }
        '''}) / "main.tf"
    document = TerraformReader().read(Source(str(path), path.read_text()))
    assert sorted((p.origin, p.kind, p.holder) for p in document.policies) == [
        ("aws_iam_role.r/assume_role_policy", "trust", "AWS::IAM::Role"),
        ("aws_lambda_permission.p", "resource", "AWS::Lambda::Function"),
        ("data.aws_iam_policy_document.queue", "resource", "AWS::SQS::Queue")]
