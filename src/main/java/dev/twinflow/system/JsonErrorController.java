package dev.twinflow.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside the routes (unknown path, wrong method, a failure before Camel took the
 * request) get the same {@code {"error","detail"}} JSON body as the routes' own errors.
 */
@RestController
class JsonErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        HttpStatus known = HttpStatus.resolve(status);
        String error = known == null ? "error" : known.name().toLowerCase();
        String detail =
                switch (status) {
                    case 404 -> "no endpoint at " + path;
                    case 405 -> "method not allowed on " + path + " (see the Allow header)";
                    default -> {
                        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
                        yield message == null || message.toString().isBlank()
                                ? (known == null ? "error" : known.getReasonPhrase())
                                : message.toString();
                    }
                };
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(HttpErrors.body(error, detail));
    }
}
