package dev.twinflow.system;

/**
 * A request the API refuses, with the HTTP status and the {@code {"error","detail"}} body it answers
 * with. Thrown from beans called by routes; the {@code http-errors} route configuration renders it.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;

    public ApiException(int status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public static ApiException badRequest(String error, String detail) {
        return new ApiException(400, error, detail);
    }

    public static ApiException unprocessable(String error, String detail) {
        return new ApiException(422, error, detail);
    }
}
