package io.dirpipe.sandbox.graph;

import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.tenant.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The OData query options of a collection request, validated as Graph validates them. */
final class Query {
  private static final Set<String> UNSUPPORTED =
      Set.of("$orderby", "$expand", "$search", "$skip", "$format", "$apply");

  final List<String> select;
  final int top;
  final Predicate<Map<String, Object>> filter;
  final boolean count;

  /** {@code $expand=manager} (users only): each user with its manager's id. */
  final boolean expandManager;

  private Query(
      List<String> select,
      int top,
      Predicate<Map<String, Object>> filter,
      boolean count,
      boolean expandManager) {
    this.select = select;
    this.top = top;
    this.filter = filter;
    this.count = count;
    this.expandManager = expandManager;
  }

  /**
   * @param known the properties {@code $select} may name
   * @param filterKind the resource {@code $filter} applies to, or null when filters are not
   *     supported
   */
  static Query parse(
      Exchange ex, Collection<String> known, String typeName, Kind filterKind, boolean delta) {
    String expand = ex.query("$expand");
    boolean manager =
        expand != null
            && filterKind == Kind.USER
            && !delta
            && (expand.equals("manager") || expand.equals("manager($select=id)"));
    for (String name : ex.queryParameters().keySet()) {
      if (manager && name.equals("$expand")) {
        continue; // the one expansion the sandbox serves
      }
      if (UNSUPPORTED.contains(name.toLowerCase()) || (delta && name.equals("$top"))) {
        throw GraphError.unsupportedQuery(
            "The query option '"
                + name
                + "' is not supported"
                + (delta ? " on delta queries." : " by this resource."));
      }
      if (ex.queryParameters().get(name).size() > 1) {
        throw GraphError.badRequest("Query option '" + name + "' was specified more than once.");
      }
    }
    return new Query(
        select(ex.query("$select"), known, typeName),
        top(ex.query("$top")),
        filter(ex.query("$filter"), filterKind, delta),
        count(ex),
        manager);
  }

  private static List<String> select(String value, Collection<String> known, String typeName) {
    if (value == null) {
      return null;
    }
    List<String> props = new ArrayList<>();
    for (String p : value.split(",")) {
      String name = p.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!known.contains(name)) {
        throw GraphError.badRequest(
            "Could not find a property named '" + name + "' on type '" + typeName + "'.");
      }
      props.add(name);
    }
    return props;
  }

  private static int top(String value) {
    if (value == null) {
      return 100;
    }
    int top;
    try {
      top = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw GraphError.badRequest("Invalid $top value '" + value + "': an integer is expected.");
    }
    if (top < 1 || top > 999) {
      throw GraphError.unsupportedQuery(
          "Invalid page size specified: '" + top + "'. Must be between 1 and 999 inclusive.");
    }
    return top;
  }

  private static Predicate<Map<String, Object>> filter(String value, Kind kind, boolean delta) {
    if (value == null) {
      return null;
    }
    if (kind == null) {
      throw GraphError.unsupportedQuery("$filter is not supported on this resource.");
    }
    if (delta && !value.trim().matches("(?i)id eq '[^']+'( or id eq '[^']+')*")) {
      throw GraphError.unsupportedQuery(
          "Delta queries support only filters of the form id eq '{id}'.");
    }
    return Filter.parse(value, kind);
  }

  private static boolean count(Exchange ex) {
    String c = ex.query("$count");
    if (c == null || c.equalsIgnoreCase("false")) {
      return false;
    }
    if (!"eventual".equalsIgnoreCase(ex.header("ConsistencyLevel"))) {
      throw new GraphError(400, "Request_BadRequest", "$count is not currently supported.");
    }
    return true;
  }
}
