package io.dirpipe.sink.lake;

import io.dirpipe.core.TenantIds;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of lake files: {@code
 * <dataset>/tenant=<id>/date=<yyyy-mm-dd>/<topic>+<partition>+<first>-<last>.parquet}. The offsets
 * in the name make a rewrite after a crash land on a name that says what it holds.
 */
final class LakeFiles {
  private static final Pattern NAME =
      Pattern.compile(".*/([^/]+)\\+(\\d+)\\+(\\d+)-(\\d+)\\.parquet");

  private LakeFiles() {}

  static String directory(String dataset, String tenantId, Instant at) {
    if (!TenantIds.isValid(tenantId)) {
      // a folder name: "x/../.." would leave the lake's root
      throw new IllegalArgumentException(
          "the record's tenant id is not " + TenantIds.EXPECTED + "; it has no place in the lake");
    }
    return dataset + "/tenant=" + tenantId + "/date=" + at.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  static String file(String directory, String topic, int partition, long first, long last) {
    return directory + "/" + topic + "+" + partition + "+" + first + "-" + last + ".parquet";
  }

  /** The offsets a file name holds, when it is a file of that topic and partition. */
  record Range(long first, long last) {}

  static Optional<Range> range(String path, String topic, int partition) {
    Matcher m = NAME.matcher(path);
    if (!m.matches() || !m.group(1).equals(topic) || Integer.parseInt(m.group(2)) != partition) {
      return Optional.empty();
    }
    return Optional.of(new Range(Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
  }
}
