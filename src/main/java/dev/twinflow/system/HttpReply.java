package dev.twinflow.system;

/**
 * One request's answer in a batch ({@link BatchedHttpComponent}): its status and JSON body.
 *
 * @param status the HTTP status
 * @param body the JSON body
 */
public record HttpReply(int status, byte[] body) {

    /** A 200 with {@code body}. */
    public static HttpReply ok(byte[] body) {
        return new HttpReply(200, body);
    }

    /** The refusal's status and {@code {"error","detail"}} body. */
    public static HttpReply refused(ApiException refusal) {
        return new HttpReply(refusal.status(), HttpErrors.body(refusal.error(), refusal.getMessage()));
    }
}
