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
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import jp.nanbyo.fhir.server.platform.HeapTurns;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A FHIR request's body may hold at most {@code nanbyo.fhir.maximum-request-size} bytes and
 * {@code nanbyo.fhir.maximum-request-elements} elements. HAPI reads a body whole into memory before it parses it, so
 * without a limit one large request runs the server out of memory (measured: a 1 GB POST, OutOfMemoryError). A body
 * announced larger is refused before any of it is read; one sent without its length is refused once the limit has been
 * read; a gzip body (which HAPI would unpack) is unpacked here and counted unpacked, so a small compressed body cannot
 * grow past the limit either. Within the byte limit, what costs memory is the number of elements: HAPI's parser, the
 * validator and the search indexes each hold some objects per element (measured with {@code -Xmx768m}: one
 * Organization of 30 MB, 7.5 million one-letter aliases, ran out of memory in HAPI's parser; one of 16 MB, a million
 * aliases, in the validator); the elements are counted as the body streams in ({@link ElementCounter}), so such a
 * body is refused before it is parsed. HAPI answers 413 with an OperationOutcome; Tomcat then reads and drops the rest
 * of the body, up to {@code server.tomcat.max-swallow-size} (64 MB), so a client still sending it reads that answer.
 *
 * <p>Bodies over {@value #SMALL_BODY} bytes being read and processed at once may add up to at most twice the byte
 * limit; one that would pass it waits its turn ({@link HeapTurns}), then is refused with 503. A body costs
 * the heap many times its size (measured with {@code -Xmx768m}: one Binary of 30 MB ran the server out of memory;
 * of four sent at once of 16 MB, three; of six of 8 MB, one). A body of unknown length (sent in chunks, or
 * compressed) is counted at the limit once it passes {@value #SMALL_BODY} bytes.
 */
final class RequestSizeLimit extends OncePerRequestFilter {

    private static final BigDecimal MEGABYTE = BigDecimal.valueOf(1024 * 1024);

    /** Smaller bodies never wait for their turn. */
    static final int SMALL_BODY = 64 * 1024;

    private final long maximumBytes;
    private final long maximumElements;
    private final HeapTurns kilobytesAtOnce;

    RequestSizeLimit(long maximumBytes, long maximumElements) {
        this(maximumBytes, maximumElements, HeapTurns.LONGEST_WAIT);
    }

    RequestSizeLimit(long maximumBytes, long maximumElements, Duration longestWait) {
        this.maximumBytes = maximumBytes;
        this.maximumElements = maximumElements;
        this.kilobytesAtOnce = new HeapTurns(kilobytes(maximumBytes), longestWait, "他の大きなリクエストを処理中",
                "other large requests are being processed");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Limited limited = new Limited(request);
        try {
            chain.doFilter(limited, response);
        } finally {
            kilobytesAtOnce.giveBack(limited.admittedKilobytes);
        }
    }

    /** Kilobytes of large bodies being read and processed now. */
    long kilobytesInProgress() {
        return kilobytesAtOnce.inUse();
    }

    /** Half the int range at most: the turns hold room for two bodies at the limit. */
    private static int kilobytes(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE / 2, (bytes + 1023) / 1024);
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

    private PayloadTooLargeException tooManyElements() {
        return new PayloadTooLargeException(String.format(Locale.ROOT, "リクエスト本文の要素が上限 %,d 個を超えました。"
                + "送る内容を分けるか、運用担当に上限の引き上げを相談してください (The request body holds more elements than the limit of"
                + " %,d: split what you send, or ask the operators to raise the limit).", maximumElements, maximumElements));
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
        private int admittedKilobytes;

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
                if (!gzip && announced > SMALL_BODY) {
                    admit(announced);
                }
                InputStream raw = super.getInputStream();
                body = new Counted(this, gzip ? new GZIPInputStream(raw) : raw);
            }
            return body;
        }

        /** Waits for room for a body of {@code bytes} among those being processed. */
        void admit(long bytes) {
            int wanted = kilobytes(bytes);
            kilobytesAtOnce.take(wanted);
            admittedKilobytes = wanted;
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

    /** Fails the read that would go past a limit. */
    private final class Counted extends ServletInputStream {

        private final Limited request;
        private final InputStream in;
        private final ElementCounter elements = new ElementCounter();
        private long read;
        private boolean finished;

        Counted(Limited request, InputStream in) {
            this.request = request;
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
                elements.close();
                return n;
            }
            read += n;
            if (read > maximumBytes) {
                throw tooLarge(-1);
            }
            if (read > SMALL_BODY && request.admittedKilobytes == 0) {
                request.admit(maximumBytes); // its length is not known: it may be as large as the limit
            }
            if (elements.count(buffer, offset, n) > maximumElements) {
                elements.close();
                throw tooManyElements();
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
            elements.close();
            in.close();
        }
    }
}
