/**
 * The lake as Apache Iceberg tables (issue 18, in progress): a catalog (JDBC on SQLite embedded, or
 * a REST catalog), the history tables' schemas derived from the Avro contract, and commits that
 * record the Kafka offsets they cover in the snapshot summary so that a restarted sink resumes from
 * the table, not from the consumer group. Not wired into {@code dirpipe sink lake} yet.
 */
package io.dirpipe.sink.iceberg;
