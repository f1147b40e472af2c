package dev.twinflow.pipeline;

import java.util.Iterator;
import java.util.List;
import org.apache.camel.Message;

/**
 * What a scenario run hands to {@code publish-generated-records} in one go: records as messages keyed
 * by their source (the Kafka producer sends an iterable body record by record), and per source how
 * many there are and the highest seq, which the audit is told once Kafka has acknowledged them.
 * Public for the route's simple expressions ({@code ${body.size}}).
 */
public record Chunk(ScenarioRun run, List<Message> records, List<SourceCount> sources) implements Iterable<Message> {

    /** One source's records in the chunk. */
    record SourceCount(String source, long count, long maxSeq) {}

    public int size() {
        return records.size();
    }

    @Override
    public Iterator<Message> iterator() {
        return records.iterator();
    }
}
