/**
 * The {@code dirpipe} command (picocli): parses arguments and configuration, wires the modules, and
 * holds no pipeline logic of its own. Exit codes: 0 ok, 1 failure, 2 usage or configuration error.
 */
package io.dirpipe.cli;
