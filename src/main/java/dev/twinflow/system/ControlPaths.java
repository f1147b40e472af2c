package dev.twinflow.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The control endpoints ({@link FrontSecurity}): what changes or deletes state, or acts on devices, by
 * method and path pattern, a trailing slash alike.
 */
final class ControlPaths {

    private final Map<String, List<PathPattern>> patterns;
    private final Map<String, Set<String>> firstSegments;

    ControlPaths() {
        PathPatternParser parser = PathPatternParser.defaultInstance;
        List<PathPattern> post = new ArrayList<>();
        for (String path : List.of(
                "/clear",
                "/clear_messages",
                "/scenarios/*/start",
                "/scenarios/*/stop",
                "/terminals/*/commands",
                "/simulator/**",
                "/exports/run",
                "/publish")) {
            post.add(parser.parse(path));
        }
        List<PathPattern> put = List.of(parser.parse("/scenarios/*"), parser.parse("/terminals/*/config"));
        this.patterns = Map.of("POST", post, "PUT", put);
        this.firstSegments = Map.of("POST", firstSegments(post), "PUT", firstSegments(put));
    }

    private static Set<String> firstSegments(List<PathPattern> patterns) {
        return patterns.stream().map(p -> firstSegment(p.getPatternString())).collect(Collectors.toSet());
    }

    /** The first segment of a path as written ({@code "scenarios"} of {@code "/scenarios/x/start"}). */
    private static String firstSegment(String path) {
        int end = path.indexOf('/', 1);
        return end < 0 ? path.substring(1) : path.substring(1, end);
    }

    /** Whether {@code method} on {@code path} is a control endpoint. */
    boolean matches(String method, String path) {
        List<PathPattern> candidates = patterns.get(method);
        if (candidates == null) {
            return false;
        }
        // most requests (POST /receive, say) are ruled out by their first segment alone, without
        // parsing the path; one that is encoded (%) or carries parameters (;) is always parsed
        if (path.startsWith("/")) {
            String first = firstSegment(path);
            if (!firstSegments.get(method).contains(first) && first.indexOf('%') < 0 && first.indexOf(';') < 0) {
                return false;
            }
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        PathContainer container = PathContainer.parsePath(trimmed);
        for (PathPattern p : candidates) {
            if (p.matches(container)) {
                return true;
            }
        }
        return false;
    }
}
