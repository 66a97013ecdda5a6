package io.dirpipe.sandbox.tenant;

import java.util.Locale;

/**
 * Object ids that look like Entra GUIDs and encode their kind and index in the last group, so that
 * an id maps back to its generated object without a lookup table: {@code
 * pppppppp-pppp-4ppp-8ppp-KKIIIIIIIIII}.
 */
public final class Ids {
  private final String prefix;

  /**
   * @param seed the tenant seed: it fixes the prefix of every id
   */
  public Ids(long seed) {
    long h = Mix.hash(seed, 0x1d5L);
    String hex = String.format(Locale.ROOT, "%016x", h);
    this.prefix =
        hex.substring(0, 8)
            + "-"
            + hex.substring(8, 12)
            + "-4"
            + hex.substring(12, 15)
            + "-8"
            + hex.substring(13, 16)
            + "-";
  }

  public String of(Kind kind, int index) {
    return prefix + String.format(Locale.ROOT, "%02x%010x", kind.code, index);
  }

  /** The kind encoded in an id of this tenant, or null when it is not one. */
  public Kind kindOf(String id) {
    if (id == null || id.length() != 36 || !id.startsWith(prefix)) {
      return null;
    }
    try {
      return Kind.ofCode(Integer.parseInt(id.substring(24, 26), 16));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The index encoded in an id; -1 when it is not an id of this tenant. */
  public int indexOf(String id) {
    if (kindOf(id) == null) {
      return -1;
    }
    try {
      long v = Long.parseLong(id.substring(26), 16);
      return v > Integer.MAX_VALUE ? -1 : (int) v;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
