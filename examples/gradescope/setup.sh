#!/usr/bin/env bash
# Gradescope: runs once when the autograder image is built. The autograder zip holds this
# repository (with run_autograder and setup.sh at its top, copied from examples/gradescope/), the
# grader's private key grader_ed25519, and .env: GRADER_SSH_KEY=/autograder/source/grader_ed25519
set -eu
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y nodejs
cd /autograder/source
npm ci --no-audit --no-fund
chmod 600 grader_ed25519
