package jp.nanbyo.fhir.server.referral;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import jp.nanbyo.fhir.routes.TestCertificates.SelfSigned;

/**
 * A partner's HTTPS server on loopback (test code) that can go down (nothing listens on its port) and come back on the
 * same port, so the address in our directory stays right. Subclasses answer the requests.
 */
abstract class LoopbackHttpsPartner implements AutoCloseable {

    private final SelfSigned certificate;
    private final int backlog;
    private final Supplier<Executor> executors;
    private final int port;
    private HttpsServer server;

    LoopbackHttpsPartner(SelfSigned certificate, int backlog, Supplier<Executor> executors) {
        this.certificate = certificate;
        this.backlog = backlog;
        this.executors = executors;
        // Listening before the subclass has set its fields is safe: no request comes before base() is known.
        this.server = start(0);
        this.port = server.getAddress().getPort();
    }

    /** {@code https://127.0.0.1:<port>/fhir}. */
    final String base() {
        return "https://127.0.0.1:" + port + "/fhir";
    }

    final synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    final synchronized void up() {
        if (server == null) {
            server = start(port);
        }
    }

    @Override
    public final void close() {
        down();
    }

    abstract void handle(HttpExchange exchange) throws IOException;

    private HttpsServer start(int onPort) {
        try {
            HttpsServer started = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), backlog);
            started.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
            started.setExecutor(executors.get());
            started.createContext("/", this::handle);
            started.start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
