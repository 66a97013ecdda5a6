/**
 * Reads dirpipe's configuration once, at start: a YAML file whose keys flatten to dotted names,
 * then {@code DIRPIPE_*} environment variables over it, checked against the keys the modules
 * declare. The result is a flat map each module's typed {@code XxxConfig} parses; nothing below the
 * CLI reads env.
 */
package io.dirpipe.cli.config;
