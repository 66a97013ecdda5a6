package io.dirpipe.sink.iceberg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * Opens the lake's Iceberg catalog. Embedded: Iceberg's JDBC catalog on a SQLite file beside a
 * local warehouse folder, no server to start. Otherwise a JDBC URI (PostgreSQL) or a REST catalog
 * (Polaris, Unity, Nessie, Gravitino) at {@code uri}.
 */
public final class LakeCatalog {
  public static final String NAME = "dirpipe";

  private LakeCatalog() {}

  /** The catalog {@code lake.*} names; a local warehouse only for now. */
  public static Catalog of(io.dirpipe.sink.SinkConfig config) {
    String root = config.getString(io.dirpipe.sink.SinkConfig.LAKE_ROOT);
    String uri = config.getString(io.dirpipe.sink.SinkConfig.LAKE_CATALOG_URI).trim();
    if (root.matches("(?i)(abfss?|https?)://.*")) {
      throw new org.apache.kafka.common.config.ConfigException(
          "lake.format iceberg writes to a local lake.root only so far (Iceberg's Azure FileIO is"
              + " not wired yet): set lake.root to a folder, or lake.format to parquet");
    }
    Path warehouse = Path.of(root).toAbsolutePath();
    if (config.getString(io.dirpipe.sink.SinkConfig.LAKE_CATALOG_TYPE).equals("rest")) {
      return rest(uri, warehouse.toUri().toString(), Map.of());
    }
    return uri.isEmpty() ? embedded(warehouse) : jdbc(uri, warehouse.toUri().toString());
  }

  /** The embedded catalog: {@code <warehouse>/catalog.db} (SQLite) over the warehouse folder. */
  public static Catalog embedded(Path warehouse) {
    try {
      Files.createDirectories(warehouse);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot create the lake folder " + warehouse, e);
    }
    // WAL and a busy timeout: a reader (a query, another dirpipe command) does not fail a commit
    return jdbc(
        "jdbc:sqlite:" + warehouse.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=30000",
        warehouse.toUri().toString());
  }

  /** Iceberg's JDBC catalog at {@code uri} (SQLite or PostgreSQL) with tables under warehouse. */
  public static Catalog jdbc(String uri, String warehouse) {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.URI, uri);
    props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    props.put("jdbc.schema-version", "V1");
    if (warehouse.startsWith("file:") || warehouse.startsWith("/")) {
      props.put(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
    }
    JdbcCatalog catalog =
        uri.startsWith("jdbc:sqlite:")
            ? new JdbcCatalog(null, p -> new SqliteClientPool(uri, p), true)
            : new JdbcCatalog();
    catalog.setConf(new Configuration(false));
    catalog.initialize(NAME, props);
    return catalog;
  }

  /** An Iceberg REST catalog at {@code uri}, tables under warehouse. */
  public static Catalog rest(String uri, String warehouse, Map<String, String> extra) {
    Map<String, String> props = new HashMap<>(extra);
    props.put(CatalogProperties.URI, uri);
    if (warehouse != null) {
      props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    }
    if (warehouse != null && warehouse.startsWith("file:")) {
      props.putIfAbsent(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
    }
    RESTCatalog catalog = new RESTCatalog();
    catalog.setConf(new Configuration(false));
    catalog.initialize(NAME, props);
    return catalog;
  }
}
