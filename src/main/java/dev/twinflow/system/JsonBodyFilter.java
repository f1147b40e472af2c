package dev.twinflow.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards request bodies before Camel reads them. Answers 413 for a body over {@code
 * twinflow.http.max-body-size} (Camel's platform-http sets no limit): a declared length is checked
 * up front, a chunked body is read up to the limit and handed on from memory. And since every body
 * this API takes is JSON, a POST or PUT labelled as a form ({@code curl -d} without a content type) is
 * handed on as JSON, rather than parsed by Camel into form fields and failed with a 500.
 */
@Component
class JsonBodyFilter extends OncePerRequestFilter {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final long limit;

    JsonBodyFilter(TwinflowProperties properties) {
        this.limit = properties.http().maxBodySize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            reject(response, declared);
            return;
        }
        if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
            byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                reject(response, -1);
                return;
            }
            request = new BufferedBody(request, body);
        }
        String type = request.getContentType();
        if (type != null && type.startsWith(FORM)) {
            request = new JsonContentType(request);
        }
        chain.doFilter(request, response);
    }

    private void reject(HttpServletResponse response, long declared) throws IOException {
        response.setStatus(413);
        response.setContentType("application/json");
        response.setHeader("Connection", "close");
        String size = declared < 0 ? "the chunked body" : declared + " bytes";
        response.getOutputStream()
                .write(HttpErrors.body(
                        "payload_too_large",
                        size + " exceed the limit of " + limit + " bytes (twinflow.http.max-body-size)"));
    }

    private static final class JsonContentType extends HttpServletRequestWrapper {
        JsonContentType(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return "application/json";
        }

        @Override
        public String getHeader(String name) {
            return "content-type".equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
        }

        @Override
        public java.util.Enumeration<String> getHeaders(String name) {
            return "content-type".equalsIgnoreCase(name)
                    ? java.util.Collections.enumeration(java.util.List.of(getContentType()))
                    : super.getHeaders(name);
        }
    }

    private static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }
}
