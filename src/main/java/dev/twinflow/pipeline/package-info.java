/** Seed 001's pipeline: scenarios publish generated records to Kafka, a consumer receives them, and the audit proves sent == received. */
package dev.twinflow.pipeline;
