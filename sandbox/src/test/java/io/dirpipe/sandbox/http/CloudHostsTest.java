package io.dirpipe.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.Cloud;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A sandbox posing as a cloud refuses requests addressed to another cloud's hosts. */
class CloudHostsTest {
  @Test
  void posingAsUsgovRefusesPublicHostsAndRecordsEveryHost() {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CloudHosts gov = new CloudHosts(Cloud.USGOV, seen);
    assertThat(gov.apply("graph.microsoft.us:8443")).isNull();
    assertThat(gov.apply("login.microsoftonline.us")).isNull();
    assertThat(gov.apply("127.0.0.1:8080")).as("loopback: tests and the control API").isNull();
    assertThat(gov.apply("Graph.Microsoft.com:8443"))
        .isEqualTo(
            "This sandbox poses as the usgov cloud; graph.microsoft.com is a host of the public"
                + " cloud (set cloud: usgov)");
    assertThat(gov.apply("microsoftgraph.chinacloudapi.cn")).contains("china");
    assertThat(seen)
        .contains("graph.microsoft.us", "login.microsoftonline.us", "graph.microsoft.com");
  }

  @Test
  void thePublicSandboxRefusesNationalHostsAndServesLoginForBothGovClouds() {
    CloudHosts pub = new CloudHosts(Cloud.PUBLIC, ConcurrentHashMap.newKeySet());
    assertThat(pub.apply("graph.microsoft.com")).isNull();
    assertThat(pub.apply("graph.microsoft.us")).contains("usgov");
    CloudHosts dod = new CloudHosts(Cloud.USGOV_DOD, ConcurrentHashMap.newKeySet());
    assertThat(dod.apply("login.microsoftonline.us")).as("shared by usgov and usgov-dod").isNull();
    assertThat(dod.apply("graph.microsoft.us")).contains("usgov");
  }
}
