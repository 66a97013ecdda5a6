package io.dirpipe.core.kafka;

import java.time.Duration;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The brokers did not answer within {@code broker.timeout}: dead, frozen, unreachable, or refusing
 * this client's security settings. The message names the bootstrap servers and what to check; the
 * stage stops, and what it had not committed is done again by its next start.
 */
public final class BrokerUnavailable extends RuntimeException {
  private BrokerUnavailable(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * @param what what was being done, e.g. "Committing users page 3"
   */
  public static BrokerUnavailable of(KafkaClients kafka, String what, Throwable cause) {
    Object bootstrap = kafka.properties().get("bootstrap.servers");
    return new BrokerUnavailable(
        what
            + ": Kafka at "
            + (bootstrap == null ? "(no kafka.bootstrap.servers set)" : bootstrap)
            + " did not answer within "
            + seconds(kafka.timeout())
            + " ("
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage()
            + "). Check that the brokers are up and reachable from here, and kafka.security.protocol"
            + " and kafka.sasl.* if they need them. Nothing is lost: what was not committed is done"
            + " again by the next start.",
        cause);
  }

  /** True when {@code e} (or a cause) is a Kafka client giving up waiting for the brokers. */
  public static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutException || t instanceof BrokerUnavailable) {
        return true;
      }
    }
    return false;
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s (broker.timeout)";
  }
}
