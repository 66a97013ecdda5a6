package io.dirpipe.sandbox.graph;

import io.dirpipe.sandbox.tenant.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code $filter} subset the sandbox supports: {@code eq, ne, ge, le, gt, lt, in, startsWith,
 * and, or} and parentheses, on a documented set of properties per resource. Anything else is a 400,
 * as on Graph for unsupported clauses.
 */
final class Filter {
  static final Map<Kind, Set<String>> FILTERABLE =
      Map.of(
          Kind.USER,
              Set.of(
                  "id",
                  "displayName",
                  "userPrincipalName",
                  "mail",
                  "accountEnabled",
                  "userType",
                  "department",
                  "jobTitle",
                  "givenName",
                  "surname",
                  "employeeId",
                  "companyName",
                  "usageLocation",
                  "createdDateTime",
                  "onPremisesSyncEnabled",
                  "mailNickname"),
          Kind.GROUP,
              Set.of(
                  "id",
                  "displayName",
                  "mail",
                  "mailEnabled",
                  "securityEnabled",
                  "mailNickname",
                  "createdDateTime",
                  "isAssignableToRole"),
          Kind.DEVICE,
              Set.of(
                  "id",
                  "deviceId",
                  "displayName",
                  "operatingSystem",
                  "accountEnabled",
                  "trustType",
                  "isCompliant",
                  "isManaged"),
          Kind.APPLICATION,
              Set.of("id", "appId", "displayName", "signInAudience", "publisherDomain"),
          Kind.SERVICE_PRINCIPAL,
              Set.of("id", "appId", "displayName", "servicePrincipalType", "accountEnabled"),
          Kind.DIRECTORY_ROLE, Set.of("id", "displayName", "roleTemplateId"));

  /**
   * Properties whose documented operators are fewer than the sandbox's: users' createdDateTime
   * "Supports $filter (eq, ne, not, ge, le, in)" in Graph v1.0, so {@code gt} and {@code lt} are
   * refused as Graph may refuse them.
   */
  static final Map<Kind, Map<String, Set<String>>> OPERATORS =
      Map.of(Kind.USER, Map.of("createdDateTime", Set.of("eq", "ne", "ge", "le", "in")));

  private final String text;
  private final Kind kind;
  private final List<String> tokens;
  private int pos;

  private Filter(String text, Kind kind) {
    this.text = text;
    this.kind = kind;
    this.tokens = tokenize(text);
  }

  /**
   * @throws GraphError 400 for syntax errors and unsupported properties or operators
   */
  static Predicate<Map<String, Object>> parse(String text, Kind kind) {
    Filter f = new Filter(text, kind);
    Predicate<Map<String, Object>> p = f.or();
    if (f.pos != f.tokens.size()) {
      throw f.syntax();
    }
    return p;
  }

  private Predicate<Map<String, Object>> or() {
    Predicate<Map<String, Object>> p = and();
    while (peekIs("or")) {
      pos++;
      p = p.or(and());
    }
    return p;
  }

  private Predicate<Map<String, Object>> and() {
    Predicate<Map<String, Object>> p = factor();
    while (peekIs("and")) {
      pos++;
      p = p.and(factor());
    }
    return p;
  }

  private Predicate<Map<String, Object>> factor() {
    String t = next();
    if (t.equals("(")) {
      Predicate<Map<String, Object>> p = or();
      expect(")");
      return p;
    }
    if (t.equalsIgnoreCase("startsWith")) {
      expect("(");
      String prop = property(next());
      expect(",");
      Object v = literal(next());
      expect(")");
      String prefix = String.valueOf(v).toLowerCase(Locale.ROOT);
      return o -> o.get(prop) instanceof String s && s.toLowerCase(Locale.ROOT).startsWith(prefix);
    }
    String prop = property(t);
    String op = next().toLowerCase(Locale.ROOT);
    Set<String> allowed = OPERATORS.getOrDefault(kind, Map.of()).get(prop);
    if (allowed != null && !allowed.contains(op)) {
      throw unsupported(prop);
    }
    if (op.equals("in")) {
      expect("(");
      List<Object> values = new ArrayList<>();
      values.add(literal(next()));
      while (peekIs(",")) {
        pos++;
        values.add(literal(next()));
      }
      expect(")");
      return o -> values.stream().anyMatch(v -> matches(o.get(prop), v));
    }
    Object v = literal(next());
    return switch (op) {
      case "eq" -> o -> matches(o.get(prop), v);
      case "ne" -> o -> !matches(o.get(prop), v);
      case "ge", "gt", "le", "lt" -> o -> compare(o.get(prop), v, op);
      default -> throw unsupported(prop);
    };
  }

  private static boolean matches(Object actual, Object expected) {
    if (actual instanceof String a && expected instanceof String e) {
      return a.equalsIgnoreCase(e);
    }
    return Objects.equals(actual, expected);
  }

  private static boolean compare(Object actual, Object expected, String op) {
    if (actual == null || expected == null) {
      return false;
    }
    int c = String.valueOf(actual).compareTo(String.valueOf(expected));
    return switch (op) {
      case "ge" -> c >= 0;
      case "gt" -> c > 0;
      case "le" -> c <= 0;
      default -> c < 0;
    };
  }

  private String property(String name) {
    if (!FILTERABLE.getOrDefault(kind, Set.of()).contains(name)) {
      throw unsupported(name);
    }
    return name;
  }

  private GraphError unsupported(String property) {
    return GraphError.unsupportedQuery(
        "Unsupported or invalid query filter clause specified for property '"
            + property
            + "' of resource '"
            + kind.resource()
            + "'.");
  }

  private GraphError syntax() {
    return GraphError.badRequest(
        "Invalid filter clause: syntax error at position " + pos + " in '" + text + "'.");
  }

  private Object literal(String t) {
    if (t.startsWith("'")) {
      return t.substring(1, t.length() - 1).replace("''", "'");
    }
    switch (t) {
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      case "null":
        return null;
      default:
        if (t.matches("-?\\d+")) {
          return Long.parseLong(t);
        }
        if (t.matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z")) {
          return t; // datetime literal: compared as ISO-8601 text
        }
        throw syntax();
    }
  }

  private boolean peekIs(String t) {
    return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(t);
  }

  private String next() {
    if (pos >= tokens.size()) {
      throw syntax();
    }
    return tokens.get(pos++);
  }

  private void expect(String t) {
    if (!next().equals(t)) {
      pos--;
      throw syntax();
    }
  }

  private List<String> tokenize(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == ',') {
        out.add(String.valueOf(c));
        i++;
      } else if (c == '\'') {
        int j = i + 1;
        while (j < s.length()
            && (s.charAt(j) != '\'' || (j + 1 < s.length() && s.charAt(j + 1) == '\''))) {
          j += s.charAt(j) == '\'' ? 2 : 1;
        }
        if (j >= s.length()) {
          throw GraphError.badRequest("Invalid filter clause: unterminated string in '" + s + "'.");
        }
        out.add(s.substring(i, j + 1));
        i = j + 1;
      } else {
        int j = i;
        while (j < s.length()
            && !Character.isWhitespace(s.charAt(j))
            && "(),'".indexOf(s.charAt(j)) < 0) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      }
    }
    return out;
  }
}
