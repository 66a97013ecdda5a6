package io.dirpipe.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A role's /metrics and /health, as a scraper and a probe see them. */
final class Scrape {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern LOGGED = Pattern.compile("metrics at http://[^:]+:(\\d+)/metrics");

  private Scrape() {}

  /** The port a role logged it serves on, or -1 while its log does not say yet. */
  static int loggedPort(Path log) throws Exception {
    if (!Files.exists(log)) {
      return -1;
    }
    // a JSON log (DIRPIPE_LOG_FORMAT=json) escapes the slashes
    Matcher m = LOGGED.matcher(Files.readString(log).replace("\\/", "/"));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of the first sample of {@code name} whose labels include each {@code label="value"}
   * given (in any order among others); -1 when there is none.
   */
  static double value(String metrics, String name, String... labels) {
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      int close = line.lastIndexOf(' ');
      String series = line.substring(0, close);
      if (Arrays.stream(labels).allMatch(series::contains)) {
        return Double.parseDouble(line.substring(close + 1).trim());
      }
    }
    return -1;
  }
}
