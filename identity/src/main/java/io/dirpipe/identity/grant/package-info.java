/** Idempotent Graph app-role assignments to a managed identity (what the portal cannot do). */
package io.dirpipe.identity.grant;
