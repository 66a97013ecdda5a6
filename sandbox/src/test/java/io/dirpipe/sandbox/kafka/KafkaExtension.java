package io.dirpipe.sandbox.kafka;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives integration tests a real Kafka broker as a {@link TestKafka} parameter: Testcontainers'
 * Kafka (the official apache/kafka image) when a Docker engine answers, otherwise {@link
 * LocalKafka} in this JVM. Both run the same Kafka version. One broker serves every test class of
 * the JVM and stops at the end. {@code DIRPIPE_TEST_KAFKA=in-process} or {@code =testcontainers}
 * forces a choice.
 */
public final class KafkaExtension implements ParameterResolver {
  private static final Logger log = LoggerFactory.getLogger(KafkaExtension.class);
  static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(KafkaExtension.class))
        .getOrComputeIfAbsent(Broker.class, k -> Broker.start(), Broker.class)
        .kafka;
  }

  /** The shared broker; JUnit closes it when the root context ends. */
  @SuppressWarnings(
      "deprecation") // CloseableResource for JUnit < 5.13, AutoCloseable for later ones
  private static final class Broker
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final TestKafka kafka;
    final AutoCloseable stop;

    Broker(TestKafka kafka, AutoCloseable stop) {
      this.kafka = kafka;
      this.stop = stop;
    }

    static Broker start() {
      String forced = System.getenv().getOrDefault("DIRPIPE_TEST_KAFKA", "");
      boolean docker =
          !forced.equals("in-process") && (forced.equals("testcontainers") || dockerAnswers());
      Broker broker;
      broker = docker ? container(forced.equals("testcontainers")) : null;
      if (broker == null) {
        LocalKafka local = LocalKafka.start();
        broker = new Broker(new TestKafka(local.bootstrapServers(), "in-process"), local);
      }
      log.warn(
          "Integration tests use the {} Kafka broker at {}",
          broker.kafka.kind(),
          broker.kafka.bootstrapServers());
      return broker;
    }

    /**
     * Testcontainers' Kafka; null when it cannot start (an engine that cannot pull the image, say)
     * and Testcontainers was not forced, so the tests fall back to the in-process broker.
     */
    private static Broker container(boolean forced) {
      KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
      try {
        container.start();
        return new Broker(
            new TestKafka(container.getBootstrapServers(), "testcontainers"), container);
      } catch (RuntimeException e) {
        container.close();
        if (forced) {
          throw e;
        }
        log.warn(
            "Testcontainers could not start {} ({}); using the in-process broker",
            KAFKA_IMAGE,
            e.getMessage());
        return null;
      }
    }

    private static boolean dockerAnswers() {

      try {
        return DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    }

    @Override
    public void close() {
      try {
        stop.close();
      } catch (Exception e) {
        throw new IllegalStateException("The test Kafka broker did not stop cleanly", e);
      }
    }
  }
}
