package io.dirpipe.sandbox.tenant;

/** Stateless 64-bit mixing (SplitMix64 finaliser): the same inputs give the same tenant. */
final class Mix {
  private Mix() {}

  static long hash(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long hash(long a, long b, long c) {
    return hash(hash(a, b), c);
  }

  /** A value in [0, bound) from a hash. */
  static int below(long hash, int bound) {
    return (int) Math.floorMod(hash, (long) bound);
  }
}
