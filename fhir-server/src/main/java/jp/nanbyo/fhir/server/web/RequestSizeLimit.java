package jp.nanbyo.fhir.server.web;

import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Enumeration;
import java.util.zip.GZIPInputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A FHIR request's body may hold at most {@code nanbyo.fhir.maximum-request-size} bytes. HAPI reads a body whole into
 * memory before it parses it, so without a limit one large request runs the server out of memory (measured: a 1 GB
 * POST, OutOfMemoryError). A body announced larger is refused before any of it is read; one sent without its length is
 * refused once the limit has been read; a gzip body (which HAPI would unpack) is unpacked here and counted unpacked, so
 * a small compressed body cannot grow past the limit either. HAPI answers 413 with an OperationOutcome.
 */
final class RequestSizeLimit extends OncePerRequestFilter {

    private static final BigDecimal MEGABYTE = BigDecimal.valueOf(1024 * 1024);

    private final long maximumBytes;

    RequestSizeLimit(long maximumBytes) {
        this.maximumBytes = maximumBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new Limited(request), response);
    }

    /** @param announced the size the client announced, or -1 when it sent none (or compressed the body) */
    private PayloadTooLargeException tooLarge(long announced) {
        String limit = megabytes(maximumBytes) + " MB";
        String ja = announced < 0 ? "リクエスト本文が上限 " + limit + " を超えました。"
                : "リクエスト本文が大きすぎます（" + megabytes(announced) + " MB、上限 " + limit + "）。";
        String en = announced < 0 ? "The request body is over the limit of " + limit
                : "The request body is too large (" + megabytes(announced) + " MB; the limit is " + limit + ")";
        return new PayloadTooLargeException(ja + "送る内容を分けるか、運用担当に上限の引き上げを相談してください (" + en
                + ": split what you send, or ask the operators to raise the limit).");
    }

    private static String megabytes(long bytes) {
        return BigDecimal.valueOf(bytes).divide(MEGABYTE, 1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static boolean isGzip(HttpServletRequest request) {
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        return encoding != null && encoding.trim().equalsIgnoreCase("gzip");
    }

    /** The request with its body counted; a gzip body is handed on unpacked, without its Content-Encoding. */
    private final class Limited extends HttpServletRequestWrapper {

        private final boolean gzip;
        private ServletInputStream body;

        Limited(HttpServletRequest request) {
            super(request);
            this.gzip = isGzip(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                long announced = super.getContentLengthLong();
                if (!gzip && announced > maximumBytes) {
                    throw tooLarge(announced);
                }
                InputStream raw = super.getInputStream();
                body = new Counted(gzip ? new GZIPInputStream(raw) : raw);
            }
            return body;
        }

        @Override
        public String getHeader(String name) {
            return gzip && HttpHeaders.CONTENT_ENCODING.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return gzip && HttpHeaders.CONTENT_ENCODING.equalsIgnoreCase(name) ? Collections.emptyEnumeration()
                    : super.getHeaders(name);
        }
    }

    /** Fails the read that would go past the limit. */
    private final class Counted extends ServletInputStream {

        private final InputStream in;
        private long read;
        private boolean finished;

        Counted(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                finished = true;
                return n;
            }
            read += n;
            if (read > maximumBytes) {
                throw tooLarge(-1);
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("FHIR requests are read blocking");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
