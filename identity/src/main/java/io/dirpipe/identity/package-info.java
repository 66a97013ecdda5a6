/**
 * Who dirpipe is to Azure: credentials built with azure-identity from configuration ({@link
 * io.dirpipe.identity.credential}), token audiences ({@link io.dirpipe.identity.Audience}), JWT
 * claims ({@link io.dirpipe.identity.token}), the 401/403 diagnosis ({@link
 * io.dirpipe.identity.diagnose}) and idempotent Graph app-role grants ({@link
 * io.dirpipe.identity.grant}).
 */
package io.dirpipe.identity;
