package io.dirpipe.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The events one class logs while a test runs (Logback, the test runtime's SLF4J binding). */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    appender.start();
    logger.addAppender(appender);
  }

  public static LogCapture of(Class<?> source) {
    return new LogCapture((Logger) LoggerFactory.getLogger(source));
  }

  /** Everything logged, by any class. */
  public static LogCapture all() {
    return new LogCapture((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME));
  }

  /** Every event as text: level, message and the messages of its exception chain. */
  public List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream()
          .map(
              e -> {
                StringBuilder b = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
                for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                  b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                  for (var s : t.getSuppressed()) {
                    b.append(" | suppressed ").append(s.getMessage());
                  }
                }
                return b.toString();
              })
          .toList();
    }
  }

  /** Events at ERROR, oldest first. */
  public List<ILoggingEvent> errors() {
    synchronized (appender.list) {
      return appender.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
