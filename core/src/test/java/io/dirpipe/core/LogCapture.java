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

  private LogCapture(Class<?> source) {
    this.logger = (Logger) LoggerFactory.getLogger(source);
    appender.start();
    logger.addAppender(appender);
  }

  public static LogCapture of(Class<?> source) {
    return new LogCapture(source);
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
