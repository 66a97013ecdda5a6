/**
 * What every long-running role shows an operator: {@code /metrics} (Prometheus), {@code
 * /health/live} and {@code /health/ready}, on {@code metrics.host}:{@code metrics.port}, and the
 * meters of each role (extraction runs and freshness, transformer counts, sink deliveries, consumer
 * lag, token expiry).
 */
package io.dirpipe.cli.observe;
