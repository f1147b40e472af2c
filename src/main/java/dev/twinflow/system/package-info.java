/** What every flow shares: settings, the durable append log, HTTP error handling and start-up checks. */
package dev.twinflow.system;
