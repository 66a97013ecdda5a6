package io.dirpipe.identity.diagnose;

/**
 * One checked call.
 *
 * @param target what was checked: a collection name, or {@code arm}
 * @param request method and path (no secrets), or null when no request could be sent
 * @param status HTTP status, 0 when no request was sent
 * @param verdict the diagnosis
 * @param explanation what it means, with the values that show it
 * @param fix what to do (a command line where there is one), or null when nothing is to be done
 */
public record Probe(
    String target, String request, int status, Verdict verdict, String explanation, String fix) {
  public boolean ok() {
    return verdict == Verdict.OK;
  }
}
