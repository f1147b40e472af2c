/** Edge terminals over WebSocket (seed 003): sessions, commands, Redis caches, HTTP API and a simulator. */
package dev.twinflow.terminals;
