/**
 * The sandbox's signing key and TLS material: RS256 access tokens with real Entra claims, verified
 * on every Graph, Logs Ingestion and ARM request, and the self-signed certificate of the https
 * token endpoint.
 */
package io.dirpipe.sandbox.token;
