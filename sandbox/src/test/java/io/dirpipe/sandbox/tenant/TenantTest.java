package io.dirpipe.sandbox.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantTest {
  static Tenant tenant(long seed, int users) {
    return new Tenant(Tenant.Spec.forUsers(seed, users), Clock.systemUTC());
  }

  @Test
  void sameSeedSameTenantOtherSeedOtherTenant() {
    Tenant a = tenant(7, 5_000);
    Tenant b = tenant(7, 5_000);
    Tenant c = tenant(8, 5_000);

    assertThat(a.tenantId()).isEqualTo(b.tenantId()).isNotEqualTo(c.tenantId());
    for (int p : new int[] {0, 1, 999, 4_999}) {
      assertThat(a.store(Kind.USER).at(p)).isEqualTo(b.store(Kind.USER).at(p));
      assertThat(a.store(Kind.USER).at(p).get("id"))
          .isNotEqualTo(c.store(Kind.USER).at(p).get("id"));
    }
    assertThat(a.memberships().all(3)).isEqualTo(b.memberships().all(3));
  }

  @Test
  void idsMapBackToKindAndPosition() {
    Ids ids = new Ids(1);
    String id = ids.of(Kind.DEVICE, 123_456);
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(ids.kindOf(id)).isEqualTo(Kind.DEVICE);
    assertThat(ids.indexOf(id)).isEqualTo(123_456);
    assertThat(ids.kindOf("00000003-0000-0000-c000-000000000000")).isNull();
    assertThat(new Ids(2).indexOf(id)).isEqualTo(-1);
  }

  @Test
  void usersLookRealistic() {
    Tenant t = tenant(42, 20_000);
    int guests = 0;
    int disabled = 0;
    Set<Object> upns = new HashSet<>();
    for (int p = 0; p < 20_000; p++) {
      Map<String, Object> u = t.store(Kind.USER).at(p);
      guests += "Guest".equals(u.get("userType")) ? 1 : 0;
      disabled += Boolean.FALSE.equals(u.get("accountEnabled")) ? 1 : 0;
      upns.add(u.get("userPrincipalName"));
    }
    assertThat(upns).as("unique UPNs").hasSize(20_000);
    assertThat(guests).isBetween(600, 1_400);
    assertThat(disabled).isBetween(1_000, 2_400);
  }

  @Test
  void groupSizesRangeFromOneToTensOfThousandsWithDistinctMembers() {
    Tenant t = new Tenant(new Tenant.Spec(42, 100_000, 2_000, 0, 3), Clock.systemUTC());
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int g = 0; g < 2_000; g++) {
      int n = t.memberships().positions(g);
      min = Math.min(min, n);
      max = Math.max(max, n);
    }
    assertThat(min).isBetween(1, 3);
    assertThat(max).isGreaterThan(10_000);
    for (int g = 0; g < 50; g++) {
      List<Memberships.Member> members = t.memberships().all(g);
      assertThat(new HashSet<>(members)).as("group %d members distinct", g).hasSize(members.size());
      for (Memberships.Member m : members) {
        assertThat(t.memberships().contains(g, m.id()))
            .as("group %d contains %s", g, m.id())
            .isTrue();
      }
    }
  }

  @Test
  void membershipChangesAreVisibleAndLogged() {
    Tenant t = tenant(42, 1_000);
    String member = t.memberships().all(4).get(0).id();
    String outsider = t.store(Kind.USER).idAt(999);
    while (t.memberships().contains(4, outsider)) {
      outsider = t.store(Kind.USER).idAt(Math.floorMod(outsider.hashCode(), 1_000));
    }
    long before = t.changeLog().current();

    assertThat(t.memberships().remove(4, member)).isTrue();
    assertThat(t.memberships().remove(4, member)).isFalse();
    assertThat(t.memberships().add(4, outsider, "user")).isTrue();
    assertThat(t.memberships().add(4, outsider, "user")).isFalse();

    assertThat(t.memberships().contains(4, member)).isFalse();
    assertThat(t.memberships().all(4))
        .extracting(Memberships.Member::id)
        .doesNotContain(member)
        .contains(outsider);
    assertThat(t.changeLog().between(before, t.changeLog().current())).hasSize(2);
  }

  @Test
  void mutationsChangeDeleteAndCreateAndReportIt() {
    Tenant t = tenant(42, 1_000);
    Mutator.Report r = new Mutator(t).apply(new Mutator.Request("users", 3, 10, 4, 0, 0, 5));

    assertThat(r.created()).hasSize(3);
    assertThat(r.updated()).hasSize(10);
    assertThat(r.deleted()).hasSize(4);
    assertThat(t.store(Kind.USER).count()).isEqualTo(999);
    r.deleted().forEach(id -> assertThat(t.store(Kind.USER).get(id)).isNull());
    r.created().forEach(id -> assertThat(t.store(Kind.USER).get(id)).containsEntry("id", id));
    Mutator.Report again =
        new Mutator(tenant(42, 1_000)).apply(new Mutator.Request("users", 3, 10, 4, 0, 0, 5));
    assertThat(again).isEqualTo(r);
  }

  @Test
  void tokensCarryThePermissionsAssignedToThePrincipal() {
    Tenant t = tenant(42, 10);
    Identity mi =
        t.addManagedIdentity(Identity.Type.SYSTEM_ASSIGNED, "host", List.of("User.Read.All"));
    assertThat(t.permissionsOf(mi.objectId())).containsExactly("User.Read.All");

    t.assign(mi.objectId(), Tenant.appRoleId("Group.Read.All"));
    t.assign(mi.objectId(), Tenant.appRoleId("Group.Read.All"));

    assertThat(t.permissionsOf(mi.objectId())).containsExactly("Group.Read.All", "User.Read.All");
    assertThat(t.assignmentsOf(mi.objectId())).hasSize(2);
    assertThat(t.store(Kind.SERVICE_PRINCIPAL).get(mi.objectId()))
        .containsEntry("servicePrincipalType", "ManagedIdentity");
  }
}
