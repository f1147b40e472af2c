/** The generator role of seed 000: synthetic user, sensor and transaction records kept in the data set. */
package dev.twinflow.generate;
