package dev.twinflow.pipeline;

import org.springframework.stereotype.Component;

/**
 * What {@code publish-generated-records} does with a chunk's outcome: Kafka's acknowledgement goes to
 * the delivery audit and the chunk's run; a failure to the run, which says whether to send it again.
 */
@Component("scenarioDelivery")
public class ScenarioDelivery {

    private final DeliveryAudit audit;

    ScenarioDelivery(DeliveryAudit audit) {
        this.audit = audit;
    }

    /** Kafka acknowledged every record of the chunk: only now are they counted as sent. */
    public void acknowledged(Chunk chunk) {
        // one audit update per source and chunk, not per record
        String run = chunk.run().runId();
        for (Chunk.SourceCount s : chunk.sources()) {
            audit.sent(run, s.source(), s.count(), s.maxSeq());
        }
        chunk.run().acknowledged(chunk);
    }

    /** A failed attempt at sending the chunk; true to send it again after the back-off. */
    public boolean failed(Chunk chunk, Exception failure) {
        return chunk.run().failed(chunk, failure);
    }

    /** The chunk is given up (its run was stopped while Kafka refused it): nothing to account. */
    public void abandoned(Chunk chunk) {
        chunk.run().abandoned(chunk);
    }
}
