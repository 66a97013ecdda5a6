package io.dirpipe.sandbox.http;

import io.dirpipe.core.Cloud;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The Host check of a sandbox posing as a cloud: a request addressed to a host of another cloud
 * (graph.microsoft.com while posing as usgov, say) is refused, as the real service would never see
 * it; every host called is recorded, so a test can prove which hosts a client used.
 */
public final class CloudHosts implements Function<String, String> {
  private final Cloud cloud;
  private final Set<String> seen;

  public CloudHosts(Cloud cloud, Set<String> seen) {
    this.cloud = cloud;
    this.seen = seen;
  }

  @Override
  public String apply(String hostHeader) {
    if (hostHeader == null) {
      return null;
    }
    String host = hostHeader.toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
    seen.add(host);
    for (Cloud other : Cloud.values()) {
      if (other != cloud && other.hosts().contains(host) && !cloud.hosts().contains(host)) {
        return "This sandbox poses as the "
            + cloud.configName()
            + " cloud; "
            + host
            + " is a host of the "
            + other.configName()
            + " cloud (set cloud: "
            + cloud.configName()
            + ")";
      }
    }
    return null;
  }
}
