package io.dirpipe.sink.iceberg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.apache.iceberg.jdbc.JdbcClientPool;

/**
 * The embedded catalog's connections to SQLite: a fresh one for every catalog operation, closed
 * after it. Iceberg's pool keeps connections open between operations, and on SQLite (WAL) a kept
 * connection can stay inside the read transaction of an earlier operation: it then reads the
 * catalog as it was (a sink would not see another process's commit) and fails its own commits with
 * {@code SQLITE_BUSY_SNAPSHOT}. Verified here: two catalogs on one file, the second's commit
 * invisible to the first after {@code refresh()}, and the first's next commit refused. Opening a
 * SQLite file costs well under a millisecond.
 */
final class SqliteClientPool extends JdbcClientPool {
  SqliteClientPool(String uri, Map<String, String> properties) {
    super(1, uri, properties);
  }

  @Override
  public <R> R run(Action<R, Connection, SQLException> action)
      throws SQLException, InterruptedException {
    return run(action, false);
  }

  @Override
  public <R> R run(Action<R, Connection, SQLException> action, boolean retry)
      throws SQLException, InterruptedException {
    try (Connection connection = newClient()) {
      return action.run(connection);
    }
  }
}
