package io.dirpipe.sandbox.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes by method and path regex, first match wins. */
public final class Router {
  private record Route(String method, Pattern pattern, Handler handler) {}

  /** A matched route: its handler and the path's groups. */
  public record Match(Handler handler, Matcher path) {}

  private final List<Route> routes = new ArrayList<>();

  public Router add(String method, String pathRegex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pathRegex), handler));
    return this;
  }

  public Optional<Match> match(String method, String path) {
    for (Route r : routes) {
      Matcher m = r.pattern.matcher(path);
      if (m.matches() && r.method.equals(method)) {
        return Optional.of(new Match(r.handler, m));
      }
    }
    return Optional.empty();
  }

  /** True when some route has this path with another method (405 rather than 404). */
  public boolean knowsPath(String path) {
    return routes.stream().anyMatch(r -> r.pattern.matcher(path).matches());
  }
}
