package io.dirpipe.sandbox.tenant;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * A generated object whose {@code id} and {@code createdDateTime} are known without generating the
 * rest: a {@code $filter} or {@code $count} on them tests a million objects without building a
 * million maps. Any other property generates the whole object once. Read-only.
 */
final class GeneratedObject extends AbstractMap<String, Object> {
  private final ObjectStore store;
  private final Generator generator;
  private final Kind kind;
  private final int position;
  private Map<String, Object> whole;

  GeneratedObject(ObjectStore store, Generator generator, Kind kind, int position) {
    this.store = store;
    this.generator = generator;
    this.kind = kind;
    this.position = position;
  }

  @Override
  public Object get(Object key) {
    if ("id".equals(key)) {
      return store.idAt(position);
    }
    if ("createdDateTime".equals(key)) {
      String created = store.createdDateTime(position);
      if (created != null) {
        return created;
      }
    }
    return whole().get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return "id".equals(key) || whole().containsKey(key);
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return whole().entrySet();
  }

  private Map<String, Object> whole() {
    if (whole == null) {
      whole = generator.generate(kind, position);
    }
    return whole;
  }
}
