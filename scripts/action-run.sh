#!/usr/bin/env bash
# The run step of action.yml: lint with the action's inputs (from the environment), write SARIF when
# asked, and report iamlint's exit status as the step's result and as the `exit-code` output.
set -uo pipefail

IAMLINT="${IAMLINT:-iamlint}"
read -r -a paths <<< "${INPUT_PATHS:-.}"
common=(--fail-on "${INPUT_FAIL_ON:-info}")
if [ -n "${INPUT_CONFIG:-}" ]; then
  common+=(--config "$INPUT_CONFIG")
fi

if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  "$IAMLINT" "${common[@]}" --format sarif --output-file "$INPUT_SARIF_FILE" --exit-zero "${paths[@]}"
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "exit-code=$status" >> "${GITHUB_OUTPUT:-/dev/null}"
    exit "$status"
  fi
fi

format=()
if [ -n "${INPUT_FORMAT:-}" ]; then
  format=(--format "$INPUT_FORMAT")
fi
"$IAMLINT" "${common[@]}" "${format[@]}" "${paths[@]}"
status=$?
echo "exit-code=$status" >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$status"
