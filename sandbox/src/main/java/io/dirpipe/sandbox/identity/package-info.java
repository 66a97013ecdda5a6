/**
 * Where tokens come from: the IMDS and App Service managed-identity endpoints (plain http, FACTS.md
 * §1-2) and the Entra v2.0 token endpoint for client secrets and certificate assertions (https,
 * §3).
 */
package io.dirpipe.sandbox.identity;
