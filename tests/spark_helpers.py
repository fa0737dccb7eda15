"""Starting Spark for the in-process engine tests (tests/test_spark.py, tests/test_events_broken.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
"""The tests' logs are a few rows to a few thousand, where Spark's time goes to starting and warming
up the JVM and to planning each query, not to the data: the JIT's quick tier only, the serial collector."""


def start_spark() -> Any:
    """A local Spark session (the engine uses the active one; the caller stops it).

    The JVM is started here with :data:`JVM_OPTIONS` and the engine's quiet log4j settings; the
    session is then made by the engine's own ``session()``, so it has every setting the engine gives
    a session it starts (UTC, Parquet nanoseconds as numbers, the log level). On top: one shuffle
    partition and no adaptive re-planning, which only cost time on logs this small.

    PySpark keeps the JVM it launched for the rest of the process (a stopped session's JVM starts
    the next one), so the first start in a pytest run sets the JVM's options for every later one:
    every in-process start in the tests comes here, whichever module runs first.
    """
    from pyspark import SparkConf, SparkContext

    from journeymap.data.engines import EngineOptions
    from journeymap.data.engines.spark import _quietly, session

    log_config = (ROOT / "journeymap" / "data" / "engines" / "spark-log4j2.properties").as_uri()
    conf = (
        SparkConf().setMaster("local[2]").setAppName("journeymap-tests")
        .set("spark.driver.extraJavaOptions", f"{JVM_OPTIONS} -Dlog4j2.configurationFile={log_config}")
        .set("spark.driver.memory", "2g")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
    )
    _quietly(lambda: SparkContext.getOrCreate(conf))
    spark, _ = session(EngineOptions())
    spark.conf.set("spark.sql.shuffle.partitions", "1")
    spark.conf.set("spark.sql.adaptive.enabled", "false")
    return spark
