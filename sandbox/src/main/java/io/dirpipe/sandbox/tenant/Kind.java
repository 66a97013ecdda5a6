package io.dirpipe.sandbox.tenant;

import java.util.List;

/** The directory object types the sandbox serves, with their Graph names. */
public enum Kind {
  USER(1, "users", "user", "User"),
  GROUP(2, "groups", "group", "Group"),
  DEVICE(3, "devices", "device", "Device"),
  APPLICATION(4, "applications", "application", "Application"),
  SERVICE_PRINCIPAL(5, "servicePrincipals", "servicePrincipal", "ServicePrincipal"),
  DIRECTORY_ROLE(6, "directoryRoles", "directoryRole", "DirectoryRole"),
  ADMINISTRATIVE_UNIT(7, "administrativeUnits", "administrativeUnit", "AdministrativeUnit"),
  OAUTH2_PERMISSION_GRANT(
      8, "oauth2PermissionGrants", "oAuth2PermissionGrant", "OAuth2PermissionGrant");

  final int code;
  private final String segment;
  private final String typeName;
  private final String resource;

  Kind(int code, String segment, String typeName, String resource) {
    this.code = code;
    this.segment = segment;
    this.typeName = typeName;
    this.resource = resource;
  }

  /** The URL segment, e.g. {@code servicePrincipals}. */
  public String segment() {
    return segment;
  }

  /** {@code microsoft.graph.user} etc. */
  public String odataType() {
    return "microsoft.graph." + typeName;
  }

  /** Graph's resource name in error messages, e.g. {@code User}. */
  public String resource() {
    return resource;
  }

  public static Kind ofSegment(String segment) {
    for (Kind k : values()) {
      if (k.segment.equals(segment)) {
        return k;
      }
    }
    return null;
  }

  static Kind ofCode(int code) {
    for (Kind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }

  /** Kinds that support delta queries in the sandbox. */
  public static final List<Kind> DELTA =
      List.of(
          USER,
          GROUP,
          DEVICE,
          APPLICATION,
          SERVICE_PRINCIPAL,
          ADMINISTRATIVE_UNIT,
          OAUTH2_PERMISSION_GRANT);
}
