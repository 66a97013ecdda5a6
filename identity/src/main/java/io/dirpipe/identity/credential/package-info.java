/**
 * Credentials built with azure-identity from configuration, and the token cache in front of them.
 */
package io.dirpipe.identity.credential;
