/** The machine readings contract: one {@code MachineReading} type and its JSON array, shared by ingest, export and the sinks. */
package dev.twinflow.readings;
