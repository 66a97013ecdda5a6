package io.dirpipe.cli.demo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * While the demo runs, the libraries' log lines (the in-process broker's, the Kafka clients') go to
 * a file beside the roles' logs instead of the terminal, which shows dirpipe's own story; dirpipe's
 * lines go to both. Closing restores the console.
 */
final class LibraryLogs implements AutoCloseable {
  private final Logger root;
  private final Logger dirpipe;
  private final List<Appender<ILoggingEvent>> console = new ArrayList<>();
  private final FileAppender<ILoggingEvent> file;

  private LibraryLogs(Path path) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    dirpipe = ctx.getLogger("io.dirpipe");
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n");
    encoder.start();
    file = new FileAppender<>();
    file.setContext(ctx);
    file.setName("demo-file");
    file.setFile(path.toString());
    file.setEncoder(encoder);
    file.start();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      console.add(it.next());
    }
    console.forEach(
        a -> {
          root.detachAppender(a);
          dirpipe.addAppender(a);
        });
    root.addAppender(file);
  }

  /** From now on, library lines go to {@code path}. */
  static LibraryLogs toFile(Path path) {
    return new LibraryLogs(path);
  }

  @Override
  public void close() {
    root.detachAppender(file);
    console.forEach(
        a -> {
          dirpipe.detachAppender(a);
          root.addAppender(a);
        });
    file.stop();
  }
}
