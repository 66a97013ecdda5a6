package io.dirpipe.identity.token;

import io.dirpipe.identity.IdentityException;

/** A text that is not a decodable JWT. The message says why, never what the text was. */
public final class MalformedTokenException extends IdentityException {
  public MalformedTokenException(String why) {
    super(Reason.PROTOCOL, "Not a decodable access token: " + why + ".");
  }
}
