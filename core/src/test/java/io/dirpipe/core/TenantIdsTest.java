package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantIdsTest {
  @Test
  void guidsAndDomainNamesAreTenants() {
    assertThat(TenantIds.isValid("72f988bf-86f1-41af-91ab-2d7cd011db47")).isTrue();
    assertThat(TenantIds.isValid("contoso.onmicrosoft.com")).isTrue();
    assertThat(TenantIds.isValid("fabrikam.co.uk")).isTrue();
  }

  @Test
  void pathsNewlinesAndOtherTextAreNot() {
    assertThat(TenantIds.isValid("x/../../ESCAPED")).isFalse();
    assertThat(TenantIds.isValid("..")).isFalse();
    assertThat(TenantIds.isValid("72f988bf-86f1-41af-91ab-2d7cd011db47\nforged: line")).isFalse();
    assertThat(TenantIds.isValid("contoso")).isFalse();
    assertThat(TenantIds.isValid("")).isFalse();
    assertThat(TenantIds.isValid(null)).isFalse();
    assertThat(TenantIds.isValid("a b.com")).isFalse();
  }
}
