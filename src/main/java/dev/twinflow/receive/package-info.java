/** The listener role of seed 000: receive JSON messages, stamp them and keep them durably in the message log. */
package dev.twinflow.receive;
