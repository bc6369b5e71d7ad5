#!/usr/bin/env bash
# CodeGrade AutoTest "Unit Test" step. Command: bash $FIXTURES/run-grader.sh
# CodeGrade runs it in the student's working directory, which holds their address.txt (see
# examples/submission-inventory.mjs), and reads the JUnit XML at $CG_JUNIT_XML_LOCATION: score =
# passed / total x the step's weight; the codegrade flavor weights each test case by its points.
# Setup: this repository in $FIXTURES/router-lab-grader (npm ci in the global setup script), the
# grader's key in $FIXTURES/grader_ed25519 (GRADER_SSH_KEY), never a password.
set -u
GRADER="${GRADER_SOURCE:-$FIXTURES/router-lab-grader}"
export GRADER_SSH_KEY="${GRADER_SSH_KEY:-$FIXTURES/grader_ed25519}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node "$GRADER/examples/submission-inventory.mjs" address.txt "$work/lab.yaml" || exit 2
node "$GRADER/bin/grade.mjs" --host submission --inventory "$work/lab.yaml" --out "$work/reports" \
  --junit-flavor codegrade ${GRADER_ARGS:-}
code=$?
[ -f "$work/reports/submission.xml" ] && cp "$work/reports/submission.xml" "$CG_JUNIT_XML_LOCATION"
# 1 means some checks failed: that is a grade, the XML says which.
[ "$code" -le 1 ]
