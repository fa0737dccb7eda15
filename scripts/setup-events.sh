#!/bin/sh
# The event-log engines' system needs: Java 17 for PySpark (tests/test_spark.py runs
# Spark in local mode). DuckDB and PySpark themselves come from pip
# (the `duckdb` and `spark` extras, both in `test`). Idempotent: skips what is there.
set -eu
if command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])'; then
    echo "setup-events: $(java -version 2>&1 | head -n 1) already installed"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless
java -version
