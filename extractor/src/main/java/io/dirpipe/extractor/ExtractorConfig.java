package io.dirpipe.extractor;

import io.dirpipe.core.ConfigDurations;
import io.dirpipe.core.Durations;
import io.dirpipe.core.RetryPolicy;
import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.schemas.Collection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/** What to extract and how fast: collections, mode, API version, page size, quota, retries. */
public final class ExtractorConfig extends AbstractConfig {
  public static final String COLLECTIONS = "extract.collections";
  public static final String MODE = "extract.mode";
  public static final String API_VERSION = "extract.api-version";
  public static final String PAGE_SIZE = "extract.page-size";
  public static final String QUOTA = "extract.quota";
  public static final String MAX_ATTEMPTS = "extract.max-attempts";
  public static final String RETRY_TIMEOUT = "extract.retry-timeout";
  public static final String ON_INVALID_OBJECT = "extract.on-invalid-object";
  public static final String TRANSACTIONAL_ID_PREFIX = "extract.transactional-id-prefix";
  public static final String SELECT_PREFIX = "extract.select.";
  public static final String SELECT_ADD_PREFIX = "extract.select-add.";
  public static final String CURSORS_PREFIX = "extract.cursors.";
  public static final String OBJECTS_PER_CURSOR = "extract.objects-per-cursor";
  public static final String BATCH = "extract.batch";
  public static final String EVENTS_OVERLAP = "extract.events.overlap";
  public static final String EVENTS_LOOKBACK = "extract.events.lookback";

  public static final ConfigDef DEF = define();

  private static ConfigDef define() {
    ConfigDef def =
        new ConfigDef()
            .define(
                COLLECTIONS,
                Type.LIST,
                Collection.defaultNames(),
                Collection.listValidator(),
                Importance.HIGH,
                "Collections to extract, in parallel.")
            .define(
                MODE,
                Type.STRING,
                "full",
                ValidString.in("full", "delta"),
                Importance.HIGH,
                "full: page every object; delta: follow the stored deltaLink (the first delta run syncs everything).")
            .define(
                API_VERSION,
                Type.STRING,
                "v1.0",
                ValidString.in("v1.0", "beta"),
                Importance.LOW,
                "Graph API version of every request of a run.")
            .define(
                PAGE_SIZE,
                Type.INT,
                999,
                Range.between(1, 999),
                Importance.LOW,
                "$top of full runs (Graph's maximum, 999, is the fastest).")
            .define(
                QUOTA,
                Type.INT,
                8000,
                Range.atLeast(1),
                Importance.MEDIUM,
                "Graph resource units per 10 s for this app and tenant: 3500 (< 50 users), 5000 (50-500), 8000 (> 500).")
            .define(
                MAX_ATTEMPTS,
                Type.INT,
                10,
                Range.between(1, 100),
                Importance.LOW,
                "Attempts per page before the run fails (429s excluded: they wait for Retry-After).")
            .define(
                RETRY_TIMEOUT,
                Type.STRING,
                Durations.iso(Duration.ofMinutes(10)),
                ConfigDurations.validator(Duration.ofMillis(1)),
                Importance.LOW,
                "The longest a page is retried or waits out throttling, from its first request, before the run fails."
                    + ConfigDurations.DOC)
            .define(
                ON_INVALID_OBJECT,
                Type.STRING,
                "skip",
                ValidString.in("skip", "fail"),
                Importance.LOW,
                "An object without id in a page: skip (counted in the run summary, logged with its page) or fail the run.")
            .define(
                TRANSACTIONAL_ID_PREFIX,
                Type.STRING,
                "dirpipe-extractor",
                Importance.LOW,
                "Prefix of the Kafka transactional.id of each (tenant, collection): a second extractor of the same pair fences the first.");
    def.define(
        OBJECTS_PER_CURSOR,
        Type.INT,
        25_000,
        Range.atLeast(1_000),
        Importance.LOW,
        "Objects per cursor of a FULL run read in ranges: a collection of n objects is read on"
            + " n / this many cursors, at most extract.cursors.<collection>.");
    def.define(
        BATCH,
        Type.BOOLEAN,
        true,
        Importance.LOW,
        "Send the member listings of a FULL groupMembers run in JSON batches of up to 20"
            + " (POST /$batch); false: one HTTP request each.");
    def.define(
        EVENTS_OVERLAP,
        Type.STRING,
        Durations.iso(Duration.ofMinutes(15)),
        ConfigDurations.validator(Duration.ZERO),
        Importance.LOW,
        "Event streams (directoryAudits, signIns): how far before the newest event published each"
            + " run reads again, for events Graph shows late; what an earlier run published is"
            + " skipped by id."
            + ConfigDurations.DOC);
    def.define(
        EVENTS_LOOKBACK,
        Type.STRING,
        Durations.iso(Duration.ofDays(7)),
        ConfigDurations.validator(Duration.ofMillis(1)),
        Importance.LOW,
        "Event streams: how far back the first run of a stream reads (Entra keeps 7 days without"
            + " P1/P2, 30 with)."
            + ConfigDurations.DOC);
    for (Collection<?> c : Collection.all()) {
      if (c.isEventStream()) {
        continue; // read by time: no $select, no ranges
      }
      if (CollectionSpec.of(c, null).rangeProperty() != null) {
        def.define(
            CURSORS_PREFIX + c.name(),
            Type.INT,
            16,
            Range.between(1, 64),
            Importance.LOW,
            "Most concurrent cursors of a FULL run of "
                + c.name()
                + ", each a disjoint range of "
                + CollectionSpec.of(c, null).rangeProperty()
                + " (1: one nextLink cursor).");
      }
      def.define(
          SELECT_PREFIX + c.name(),
          Type.LIST,
          null,
          Importance.LOW,
          "$select of " + c.name() + " (default: the fields of its Avro record).");
      if (c == Collection.USERS) {
        def.define(
            SELECT_ADD_PREFIX + c.name(),
            Type.LIST,
            "",
            Importance.LOW,
            "Properties added to the default $select of users: onPremisesExtensionAttributes (the"
                + " 15 custom attributes), directory schema extensions extension_<appId>_<name>"
                + " (kept in the record's extensions map).");
      }
    }
    return def;
  }

  public ExtractorConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public List<Collection<?>> collections() {
    return getList(COLLECTIONS).stream().map(Collection::of).collect(Collectors.toList());
  }

  public boolean delta() {
    return getString(MODE).equals("delta");
  }

  public String apiVersion() {
    return getString(API_VERSION);
  }

  public int pageSize() {
    return getInt(PAGE_SIZE);
  }

  public int quota() {
    return getInt(QUOTA);
  }

  /** How a page is retried: {@link #MAX_ATTEMPTS} within {@link #RETRY_TIMEOUT}. */
  public RetryPolicy retryPolicy() {
    return RetryPolicy.of(getInt(MAX_ATTEMPTS), ConfigDurations.get(this, RETRY_TIMEOUT));
  }

  /** True when an object without id fails the run instead of being skipped. */
  public boolean failOnInvalidObject() {
    return getString(ON_INVALID_OBJECT).equals("fail");
  }

  public String transactionalIdPrefix() {
    return getString(TRANSACTIONAL_ID_PREFIX);
  }

  /**
   * Most concurrent range cursors of a FULL run of {@code c} (1 for collections without ranges).
   */
  public int maxCursors(Collection<?> c) {
    return values().containsKey(CURSORS_PREFIX + c.name()) ? getInt(CURSORS_PREFIX + c.name()) : 1;
  }

  /** True when member listings go in JSON batches. */
  public boolean batch() {
    return getBoolean(BATCH);
  }

  public int objectsPerCursor() {
    return getInt(OBJECTS_PER_CURSOR);
  }

  /** How event streams are read: their overlap and the first run's lookback. */
  public io.dirpipe.extractor.run.EventRun.Window eventWindow() {
    return new io.dirpipe.extractor.run.EventRun.Window(
        ConfigDurations.get(this, EVENTS_OVERLAP), ConfigDurations.get(this, EVENTS_LOOKBACK));
  }

  /** The configured $select of a collection, or null for the default. */
  public List<String> select(Collection<?> c) {
    return c.isEventStream() ? null : getList(SELECT_PREFIX + c.name());
  }

  /** Properties added to the default $select of a collection (users: extensions). */
  public List<String> selectAdded(Collection<?> c) {
    return values().containsKey(SELECT_ADD_PREFIX + c.name())
        ? getList(SELECT_ADD_PREFIX + c.name())
        : List.of();
  }
}
