/** Engines started in-process when no external address is configured, and the start-up report of all engines. */
package dev.twinflow.embedded;
