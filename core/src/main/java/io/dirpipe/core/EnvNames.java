package io.dirpipe.core;

import java.util.Locale;

/**
 * The environment variable that sets a configuration key: {@code a.b-c} is {@code DIRPIPE_A_B_C}.
 * One definition for the loader and for every message that tells a user what to set. Upper case in
 * {@link Locale#ROOT}: in a Turkish locale {@code "client.id".toUpperCase()} is {@code CLİENT.İD},
 * a variable nobody can set.
 */
public final class EnvNames {
  /** Every dirpipe variable starts with this. */
  public static final String PREFIX = "DIRPIPE_";

  private EnvNames() {}

  /** {@code DIRPIPE_} and the key upper-cased, dots and dashes as underscores. */
  public static String of(String key) {
    return PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
