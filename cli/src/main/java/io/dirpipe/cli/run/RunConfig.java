package io.dirpipe.cli.run;

import io.dirpipe.core.ConfigDurations;
import io.dirpipe.core.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;

/** {@code dirpipe run}: which roles one process runs, how often it extracts, where it reports. */
public final class RunConfig extends AbstractConfig {
  public static final String ROLES = "run.roles";
  public static final String INTERVAL = "run.interval";
  public static final String METRICS_HOST = "run.metrics-host";
  public static final String METRICS_PORT = "run.metrics-port";
  public static final String GRACE = "run.grace";

  /** The port {@code dirpipe run} serves /metrics and /health on when none is configured. */
  public static final int DEFAULT_METRICS_PORT = 9464;

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              ROLES,
              Type.LIST,
              "extract,transform,lake,loganalytics",
              ValidList.in("extract", "transform", "lake", "loganalytics"),
              Importance.HIGH,
              "Roles of this process: extract (DELTA every run.interval), transform, lake, loganalytics.")
          .define(
              INTERVAL,
              Type.STRING,
              Durations.iso(Duration.ofMinutes(5)),
              ConfigDurations.validator(Duration.ofMillis(1000)),
              Importance.MEDIUM,
              "Pause between DELTA runs of the extract role." + ConfigDurations.DOC)
          .define(
              METRICS_HOST,
              Type.STRING,
              null,
              Importance.LOW,
              "Older name of metrics.host, read when that is not set.")
          .define(
              METRICS_PORT,
              Type.INT,
              null,
              Importance.LOW,
              "Older name of metrics.port, read when that is not set.")
          .define(
              GRACE,
              Type.STRING,
              Durations.iso(Duration.ofSeconds(30)),
              ConfigDurations.validator(Duration.ZERO),
              Importance.LOW,
              "On SIGTERM, how long a run in progress may take to finish before it is interrupted"
                  + " (its open transaction aborts; the next start resumes from the checkpoint)."
                  + ConfigDurations.DOC);

  public RunConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public List<String> roles() {
    return getList(ROLES);
  }

  public Duration interval() {
    return ConfigDurations.get(this, INTERVAL);
  }

  public Duration grace() {
    return ConfigDurations.get(this, GRACE);
  }
}
