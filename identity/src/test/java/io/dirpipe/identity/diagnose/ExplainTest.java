package io.dirpipe.identity.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.identity.token.TokenClaims;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainTest {
  static final String GRAPH = "https://graph.microsoft.com/.default";
  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  static TokenClaims token(String aud, List<String> roles, List<String> scp, Instant exp) {
    return new TokenClaims(
        aud, null, "t", "o", "a", scp.isEmpty() ? "app" : "user", roles, scp, exp, null, null);
  }

  @Test
  void followsTheDecisionTreeOfFacts() {
    Instant later = NOW.plusSeconds(3600);
    assertThat(
            Explain.verdict(
                200,
                token("https://graph.microsoft.com", List.of("User.Read.All"), List.of(), later),
                GRAPH,
                NOW))
        .isEqualTo(Verdict.OK);
    assertThat(
            Explain.verdict(
                401,
                token("https://graph.microsoft.com", List.of(), List.of(), NOW.minusSeconds(1)),
                GRAPH,
                NOW))
        .isEqualTo(Verdict.EXPIRED);
    assertThat(
            Explain.verdict(
                401,
                token("https://management.azure.com/", List.of(), List.of(), later),
                GRAPH,
                NOW))
        .isEqualTo(Verdict.WRONG_AUDIENCE);
    assertThat(
            Explain.verdict(
                401, token("https://graph.microsoft.com", List.of(), List.of(), later), GRAPH, NOW))
        .isEqualTo(Verdict.INVALID_TOKEN);
    assertThat(
            Explain.verdict(
                403,
                token("https://graph.microsoft.com", List.of(), List.of("User.Read"), later),
                GRAPH,
                NOW))
        .isEqualTo(Verdict.DELEGATED_TOKEN);
    assertThat(
            Explain.verdict(
                403,
                token("https://graph.microsoft.com", List.of("User.Read.All"), List.of(), later),
                GRAPH,
                NOW))
        .isEqualTo(Verdict.MISSING_PERMISSION);
    assertThat(
            Explain.verdict(
                429, token("https://graph.microsoft.com", List.of(), List.of(), later), GRAPH, NOW))
        .isEqualTo(Verdict.SERVICE_UNAVAILABLE);
    assertThat(Explain.verdict(503, null, GRAPH, NOW)).isEqualTo(Verdict.SERVICE_UNAVAILABLE);
  }

  @Test
  void a403WithTheRoleThatGrantsTheCallIsNotAMissingPermission() {
    Instant later = NOW.plusSeconds(3600);
    TokenClaims directory =
        token("https://graph.microsoft.com", List.of("Directory.Read.All"), List.of(), later);
    assertThat(Explain.verdict(403, directory, GRAPH, NOW, "User.Read.All"))
        .isEqualTo(Verdict.FORBIDDEN_DESPITE_ROLE);
    TokenClaims users =
        token("https://graph.microsoft.com", List.of("User.Read.All"), List.of(), later);
    assertThat(Explain.verdict(403, users, GRAPH, NOW, "User.Read.All"))
        .isEqualTo(Verdict.FORBIDDEN_DESPITE_ROLE);
    assertThat(Explain.verdict(403, users, GRAPH, NOW, "Group.Read.All"))
        .isEqualTo(Verdict.MISSING_PERMISSION);
  }

  /** PIM's schedules are not covered by Directory.Read.All: a 403 there is a missing permission. */
  @Test
  void directoryReadAllDoesNotGrantPimSchedules() {
    TokenClaims directory =
        token(
            "https://graph.microsoft.com",
            List.of("Directory.Read.All"),
            List.of(),
            NOW.plusSeconds(3600));
    assertThat(
            Explain.verdict(403, directory, GRAPH, NOW, "RoleEligibilitySchedule.Read.Directory"))
        .isEqualTo(Verdict.MISSING_PERMISSION);
  }
}
