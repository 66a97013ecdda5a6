/** JWT access tokens decoded (not verified) into their claims, for diagnosis. */
package io.dirpipe.identity.token;
