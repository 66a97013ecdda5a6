package io.dirpipe.extractor.graph;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * One parsed page: its objects, and the link to the next page or the delta link that ends a delta
 * run.
 *
 * @param resourceUnits the {@code x-ms-resource-unit} the server charged, or -1
 * @param limitPercentage {@code x-ms-throttle-limit-percentage}, or 0 when absent
 * @param count {@code @odata.count} (asked with {@code $count=true}), or -1 when absent
 */
public record Page(
    List<Item> items,
    String nextLink,
    String deltaLink,
    int resourceUnits,
    double limitPercentage,
    long count) {

  public Page(
      List<Item> items,
      String nextLink,
      String deltaLink,
      int resourceUnits,
      double limitPercentage) {
    this(items, nextLink, deltaLink, resourceUnits, limitPercentage, -1);
  }

  /**
   * One object of a page.
   *
   * @param entity the object (null when removed, or for member references)
   * @param id its id
   * @param odataType {@code @odata.type} without the prefix (member listings), or null
   * @param removedReason {@code @removed.reason} ({@code changed} or {@code deleted}), or null
   * @param members {@code members@delta} of a group in a delta page, or empty
   */
  public record Item(
      SpecificRecord entity,
      String id,
      String odataType,
      String removedReason,
      List<MemberRef> members) {}

  /** A member reference of {@code members@delta}. */
  public record MemberRef(String id, String type, boolean removed) {}
}
