package io.dirpipe.schemas.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the records of a class of topics are written ({@code topics.value-format}). */
public enum ValueFormat {
  /**
   * Avro single-object encoding (marker {@code C3 01}, the schema's 64-bit fingerprint, the body):
   * no registry; only a reader holding dirpipe's schemas decodes it.
   */
  AVRO("avro"),
  /**
   * The Confluent wire format (byte 0, the 4-byte schema id, the Avro body), schemas registered in
   * a Confluent-API registry under {@code <topic>-key} and {@code <topic>-value}.
   */
  AVRO_REGISTRY("avro-registry"),
  /** Plain JSON with the schema's field names: unions as their value, timestamps ISO-8601. */
  JSON("json");

  private final String configName;

  ValueFormat(String configName) {
    this.configName = configName;
  }

  /** The name in configuration: avro, avro-registry or json. */
  public String configName() {
    return configName;
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ValueFormat parse(String name) {
    for (ValueFormat f : values()) {
      if (f.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "Unknown value format '"
            + name
            + "': use "
            + Arrays.stream(values()).map(f -> f.configName).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return configName;
  }
}
