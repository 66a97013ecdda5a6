package io.dirpipe.schemas;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The order-independent digest of a run: the sum, modulo 2^128, of the first 128 bits of
 * SHA-256(objectId, content hash) over every record of the run. Pages may arrive in any order and a
 * resumed run adds the same terms; a missing or duplicated record changes the sum. The extractor
 * keeps it in each checkpoint and publishes it with RunCompleted; {@code dirpipe verify} recomputes
 * it.
 */
public final class RunDigest {

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private long high;
  private long low;

  public RunDigest() {}

  /** Resumes from a digest written by {@link #hex()}. */
  public static RunDigest of(String hex) {
    RunDigest d = new RunDigest();
    if (hex != null && !hex.isEmpty()) {
      BigInteger v = new BigInteger(hex, 16);
      d.high = v.shiftRight(64).longValue();
      d.low = v.longValue();
    }
    return d;
  }

  /**
   * Adds one record: its object id and the hash of its content (payload bytes, or a removal
   * marker).
   */
  public void add(String objectId, byte[] contentHash) {
    long[] t = term(objectId, contentHash);
    add(t[0], t[1]);
  }

  /** Adds a term computed by {@link #term} (on another thread, say). */
  public void add(long hi, long lo) {
    long newLow = low + lo;
    high += hi + (Long.compareUnsigned(newLow, low) < 0 ? 1 : 0);
    low = newLow;
  }

  /**
   * The id an edge's term is computed on: both ends, and the qualifier when it has one (two app
   * roles of one principal on one resource are two terms).
   */
  public static String termId(io.dirpipe.schemas.entity.Edge e) {
    String ends = e.getFromId() + "/" + e.getToId();
    return e.getQualifier().isEmpty() ? ends : ends + "/" + e.getQualifier();
  }

  /** The 128-bit term of one record: {high, low}. */
  public static long[] term(String objectId, byte[] contentHash) {
    MessageDigest sha = SHA256.get();

    sha.reset();
    sha.update(objectId.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(contentHash);
    byte[] h = sha.digest();
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (h[i] & 0xff);
      lo = (lo << 8) | (h[8 + i] & 0xff);
    }
    return new long[] {hi, lo};
  }

  /** SHA-256 of content bytes: the content hash of {@link #add}. */
  public static byte[] hash(byte[] content) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    return sha.digest(content);
  }

  public String hex() {
    return String.format("%016x%016x", high, low);
  }

  @Override
  public String toString() {
    return hex();
  }
}
