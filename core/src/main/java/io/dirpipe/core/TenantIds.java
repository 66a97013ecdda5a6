package io.dirpipe.core;

import java.util.regex.Pattern;

/**
 * What Entra accepts as a tenant: its id (a GUID) or one of its verified domain names ({@code
 * contoso.onmicrosoft.com}). Tenant ids become parts of URLs, topic keys and lake folders, so
 * anything else (a newline, a slash, {@code ..}) is refused wherever one enters dirpipe.
 */
public final class TenantIds {
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** DNS labels of letters, digits and inner hyphens, at least two, ending in a letter label. */
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");

  private TenantIds() {}

  public static boolean isValid(String tenant) {
    return tenant != null && (GUID.matcher(tenant).matches() || DOMAIN.matcher(tenant).matches());
  }

  /** What to tell a user whose value is not a tenant id (without repeating the value). */
  public static final String EXPECTED =
      "a tenant id (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47) or a verified domain"
          + " (contoso.onmicrosoft.com)";
}
