package io.dirpipe.sandbox.http;

import java.io.IOException;
import java.util.regex.Matcher;

/** Answers one route; {@code path} holds the route's regex groups. */
@FunctionalInterface
public interface Handler {
  void handle(Exchange exchange, Matcher path) throws IOException;
}
