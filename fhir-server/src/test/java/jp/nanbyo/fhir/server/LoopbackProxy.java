package jp.nanbyo.fhir.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback in front of the FHIR server, to play the network and the server failing:
 * it can be down (nothing listens on its port), or hold the first FHIR transaction it carries,
 * either before the server sees it or after the server has answered (the answer never arrives).
 */
final class LoopbackProxy implements AutoCloseable {

    /** What happens to the next FHIR transaction (a {@code POST /fhir}) passing through. */
    enum Hold {
        NOTHING,
        /** The request is kept from the server: the server never sees it. */
        REQUEST,
        /** The request reaches the server, which commits; its answer is kept from the client. */
        RESPONSE
    }

    private static final byte[] TRANSACTION_REQUEST_LINE = "POST /fhir HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    /** The same with a query, e.g. {@code _format=json} from a client that asks for JSON. */
    private static final byte[] TRANSACTION_REQUEST_WITH_QUERY = "POST /fhir?".getBytes(StandardCharsets.US_ASCII);

    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private volatile Hold hold = Hold.NOTHING;
    private volatile CountDownLatch held = new CountDownLatch(1);
    /** Released when the proxy goes down: held connections are cut then. */
    private volatile CountDownLatch wentDown = new CountDownLatch(1);

    LoopbackProxy(int targetPort) {
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** Starts listening: the server is reachable. */
    synchronized void up() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listener = socket;
        wentDown = new CountDownLatch(1);
        Thread acceptor = new Thread(() -> accept(socket), "loopback-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stops listening and cuts every connection: the server is unreachable (connection refused). */
    synchronized void down() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        cut();
    }

    /** Cuts every connection, what it holds included, and goes on listening: the network failed for a moment. */
    synchronized void cut() throws IOException {
        CountDownLatch cutting = wentDown;
        wentDown = new CountDownLatch(1);
        cutting.countDown();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    void hold(Hold what) {
        held = new CountDownLatch(1);
        hold = what;
    }

    /** Waits until a transaction is being held (as {@link #hold} asked). */
    boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        down();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                Connection connection = new Connection();
                pump(client, server, connection, true);
                pump(server, client, connection, false);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** What one client connection is holding back. */
    private static final class Connection {
        volatile boolean responseHeld;
    }

    private void pump(Socket from, Socket to, Connection connection, boolean clientToServer) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    if (clientToServer && hold != Hold.NOTHING && (startsWith(buffer, read, TRANSACTION_REQUEST_LINE)
                            || startsWith(buffer, read, TRANSACTION_REQUEST_WITH_QUERY))) {
                        Hold what = hold;
                        hold = Hold.NOTHING;
                        if (what == Hold.REQUEST) {
                            held.countDown();
                            awaitDown(); // the server never gets it; the client waits for an answer that never comes
                            return;
                        }
                        connection.responseHeld = true;
                    }
                    if (!clientToServer && connection.responseHeld) {
                        held.countDown();
                        awaitDown(); // the server has answered; the client never hears it
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException closed) {
                // one side went away: the other side's pump ends too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "loopback-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitDown() {
        try {
            wentDown.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean startsWith(byte[] buffer, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
