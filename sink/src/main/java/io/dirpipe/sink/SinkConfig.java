package io.dirpipe.sink;

import io.dirpipe.core.ConfigDurations;
import io.dirpipe.core.Durations;
import io.dirpipe.schemas.Collection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/** The sinks' settings: Log Analytics (Logs Ingestion API) and the data lake. */
public final class SinkConfig extends AbstractConfig {
  public static final String LOGS_ENDPOINT = "logs.endpoint";
  public static final String LOGS_RULE_ID = "logs.rule-id";
  public static final String LOGS_STREAM_CHANGES = "logs.stream.changes";
  public static final String LOGS_STREAM_MEMBERSHIPS = "logs.stream.memberships";
  public static final String LOGS_STREAM_RUNS = "logs.stream.runs";
  public static final String LOGS_STREAM_EDGES = "logs.stream.edges";
  public static final String LOGS_STREAM_EVENTS = "logs.stream.events";
  public static final String LOGS_SOURCES = "logs.sources";
  public static final String LOGS_CONCURRENCY = "logs.concurrency";
  public static final String LOGS_GROUP = "logs.group";
  public static final String LOGS_MAX_ATTEMPTS = "logs.max-attempts";
  public static final String LOGS_RETRY_TIMEOUT = "logs.retry-timeout";

  public static final String LAKE_ROOT = "lake.root";
  public static final String LAKE_DATASETS = "lake.datasets";
  public static final String LAKE_COMPRESSION = "lake.compression";
  public static final String LAKE_ROLL_BYTES = "lake.roll-bytes";
  public static final String LAKE_ROLL_INTERVAL = "lake.roll-interval";
  public static final String LAKE_INVENTORY_INTERVAL = "lake.inventory-interval";
  public static final String LAKE_GROUP = "lake.group";
  public static final String LAKE_CONNECTION_STRING = "lake.connection-string";
  public static final String LAKE_FORMAT = "lake.format";
  public static final String LAKE_CATALOG_TYPE = "lake.catalog.type";
  public static final String LAKE_CATALOG_URI = "lake.catalog.uri";
  public static final String LAKE_COMMIT_INTERVAL = "lake.commit-interval";
  public static final String LAKE_SNAPSHOT_RETENTION = "lake.snapshot-retention";
  public static final String LAKE_SNAPSHOT_KEEP = "lake.snapshot-keep";
  public static final String LAKE_TARGET_FILE_BYTES = "lake.target-file-bytes";

  public static final String SINK_COLLECTIONS = "sink.collections";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              LOGS_ENDPOINT,
              Type.STRING,
              null,
              Importance.HIGH,
              "Logs Ingestion endpoint: a data collection endpoint or the rule's own endpoint URL.")
          .define(
              LOGS_RULE_ID,
              Type.STRING,
              null,
              Importance.HIGH,
              "Immutable id of the data collection rule (dcr-...) that declares the dirpipe streams.")
          .define(
              LOGS_STREAM_CHANGES,
              Type.STRING,
              "Custom-DirpipeChanges_CL",
              Importance.LOW,
              "Stream of the rule that receives change events.")
          .define(
              LOGS_STREAM_MEMBERSHIPS,
              Type.STRING,
              "Custom-DirpipeMemberships_CL",
              Importance.LOW,
              "Stream of the rule that receives membership changes.")
          .define(
              LOGS_STREAM_EDGES,
              Type.STRING,
              "Custom-DirpipeEdges_CL",
              Importance.LOW,
              "Stream of the rule that receives edge changes (owners, role members, app role"
                  + " assignments, ...).")
          .define(
              LOGS_STREAM_EVENTS,
              Type.STRING,
              "Custom-DirpipeEvents_CL",
              Importance.LOW,
              "Stream of the rule that receives the events of the event streams (audit log, sign-ins).")
          .define(
              LOGS_STREAM_RUNS,
              Type.STRING,
              "Custom-DirpipeRuns_CL",
              Importance.LOW,
              "Stream of the rule that receives run events.")
          .define(
              LOGS_SOURCES,
              Type.LIST,
              "changes,memberships,edges,events,runs",
              ValidList.in("changes", "memberships", "edges", "events", "runs"),
              Importance.MEDIUM,
              "What the Log Analytics sink sends: changes (changes.<collection>), memberships, edges"
                  + " (changes.edges, when an edge collection is configured), events (events.<stream>,"
                  + " when an event stream is), runs.")
          .define(
              LOGS_CONCURRENCY,
              Type.INT,
              4,
              Range.between(1, 64),
              Importance.LOW,
              "Batches of at most 1 MB uploaded at once.")
          .define(
              LOGS_MAX_ATTEMPTS,
              Type.INT,
              10,
              Range.between(1, 1000),
              Importance.LOW,
              "Attempts of a batch the service answers 429, 5xx or not at all, before the sink stops without committing.")
          .define(
              LOGS_RETRY_TIMEOUT,
              Type.STRING,
              Durations.iso(Duration.ofMinutes(10)),
              ConfigDurations.validator(Duration.ofMillis(1)),
              Importance.LOW,
              "... or once this long has passed since the batch's first attempt."
                  + ConfigDurations.DOC)
          .define(
              LOGS_GROUP,
              Type.STRING,
              "dirpipe-loganalytics",
              Importance.LOW,
              "Consumer group of the Log Analytics sink.")
          .define(
              LAKE_ROOT,
              Type.STRING,
              "./lake",
              Importance.HIGH,
              "Where the lake lives: a local folder, or abfss://container@account.dfs.core.windows.net/path, or"
                  + " https://account.blob.core.windows.net/container/path (Blob API, managed identity).")
          .define(
              LAKE_DATASETS,
              Type.LIST,
              "raw,changes,memberships,edges,inventory",
              ValidList.in("raw", "changes", "memberships", "edges", "inventory"),
              Importance.MEDIUM,
              "Datasets the lake sink writes. iceberg: changes = <collection>_history and _current,"
                  + " memberships and edges = their _history and _current, raw = <collection>_raw and"
                  + " runs; inventory has no Iceberg table (the _current tables are the inventory).")
          .define(
              LAKE_COMPRESSION,
              Type.STRING,
              "snappy",
              ValidString.in("snappy", "zstd", "uncompressed"),
              Importance.LOW,
              "Parquet compression codec.")
          .define(
              LAKE_ROLL_BYTES,
              Type.LONG,
              128L * 1024 * 1024,
              Range.atLeast(1024),
              Importance.LOW,
              "A partition's open files are closed and committed once they hold this many bytes.")
          .define(
              LAKE_ROLL_INTERVAL,
              Type.STRING,
              Durations.iso(Duration.ofMinutes(5)),
              ConfigDurations.validator(Duration.ofMillis(100)),
              Importance.LOW,
              "... or once their first record is this old." + ConfigDurations.DOC)
          .define(
              LAKE_INVENTORY_INTERVAL,
              Type.STRING,
              Durations.iso(Duration.ofHours(1)),
              ConfigDurations.validator(Duration.ofMillis(1000)),
              Importance.LOW,
              "How often the inventory dataset gets a full snapshot per collection."
                  + ConfigDurations.DOC)
          .define(
              LAKE_CONNECTION_STRING,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "Storage connection string with an account key (emulators such as Azurite); without it the"
                  + " identity's token for https://storage.azure.com is used. From the environment only.")
          .define(
              LAKE_FORMAT,
              Type.STRING,
              "parquet",
              ValidString.in("parquet", "iceberg"),
              Importance.MEDIUM,
              "parquet: files under <root>/<dataset>/tenant=/date=; iceberg: Iceberg tables"
                  + " (<collection>_history SCD2, <collection>_current, <collection>_raw, runs,"
                  + " memberships_*, edges_*) in a catalog.")
          .define(
              LAKE_CATALOG_TYPE,
              Type.STRING,
              "jdbc",
              ValidString.in("jdbc", "rest"),
              Importance.LOW,
              "iceberg: the catalog, Iceberg's JDBC catalog or an Iceberg REST catalog.")
          .define(
              LAKE_CATALOG_URI,
              Type.STRING,
              "",
              Importance.LOW,
              "iceberg: the catalog's URI (jdbc:postgresql://..., https://...); empty: SQLite at"
                  + " <lake.root>/catalog.db, no server.")
          .define(
              LAKE_COMMIT_INTERVAL,
              Type.STRING,
              Durations.iso(Duration.ofMinutes(1)),
              ConfigDurations.validator(Duration.ofMillis(100)),
              Importance.LOW,
              "iceberg: one commit per table this often." + ConfigDurations.DOC)
          .define(
              LAKE_SNAPSHOT_RETENTION,
              Type.STRING,
              Durations.iso(Duration.ofDays(7)),
              ConfigDurations.validator(Duration.ZERO),
              Importance.LOW,
              "iceberg: lake maintain expires snapshots older than this; never rows"
                  + " of the current snapshot, never the newest snapshot recording a sink's offsets."
                  + " Time travel by snapshot reaches back this far; the history tables' valid_from"
                  + " and valid_to reach back to the first event whatever it is."
                  + ConfigDurations.DOC)
          .define(
              LAKE_SNAPSHOT_KEEP,
              Type.INT,
              10,
              Range.atLeast(1),
              Importance.LOW,
              "iceberg: lake maintain keeps at least this many snapshots of each table.")
          .define(
              LAKE_TARGET_FILE_BYTES,
              Type.LONG,
              128L * 1024 * 1024,
              Range.atLeast(1024),
              Importance.LOW,
              "iceberg: lake maintain rewrites a partition's small files and delete files into"
                  + " data files of about this size.")
          .define(
              LAKE_GROUP,
              Type.STRING,
              "dirpipe-lake",
              Importance.LOW,
              "Consumer group of the lake sink.")
          .define(
              SINK_COLLECTIONS,
              Type.LIST,
              Collection.defaultNames(),
              Collection.listValidator(),
              Importance.MEDIUM,
              "Collections whose topics the sinks read.");

  public SinkConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public String logsEndpoint() {
    return getString(LOGS_ENDPOINT);
  }

  public List<Collection<?>> collections() {
    return getList(SINK_COLLECTIONS).stream()
        .distinct()
        .<Collection<?>>map(Collection::of)
        .toList();
  }
}
