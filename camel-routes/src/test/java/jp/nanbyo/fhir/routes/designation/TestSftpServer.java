package jp.nanbyo.fhir.routes.designation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server on loopback (Apache MINA SSHD) serving one folder read only, as prefectures'
 * servers often do: any attempt to write, create, rename or delete is refused and recorded. It
 * counts directory listings, file downloads and the bytes served, so a test can tell a file taken again from one
 * left alone. Used by the route tests here and by fhir-server's end-to-end test.
 */
public final class TestSftpServer implements AutoCloseable {

    public static final String USER = "nanbyo";
    public static final String PASSWORD = "test-password";

    private final Path root;
    private final KeyPair hostKey;
    private final AtomicInteger listings = new AtomicInteger();
    private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bytesServed = new ConcurrentHashMap<>();
    private final List<String> refusedWrites = new CopyOnWriteArrayList<>();
    private SshServer server;
    private int port;

    private TestSftpServer(Path root) {
        this.root = root;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            this.hostKey = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves {@code root} as the SFTP root to {@link #USER} with {@link #PASSWORD}. */
    public static TestSftpServer start(Path root) {
        TestSftpServer sftp = new TestSftpServer(root);
        sftp.start(0);
        return sftp;
    }

    /** Starts again on the same port after {@link #stop()}, with the same host key. */
    public void restart() {
        start(port);
    }

    private void start(int onPort) {
        server = SshServer.setUpDefaultServer();
        server.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        server.setPort(onPort);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(new Recorder());
        server.setSubsystemFactories(List.of(sftp));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getPort();
    }

    public void stop() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    /** {@code sftp://nanbyo@127.0.0.1:<port><directory>} */
    public String url(String directory) {
        return "sftp://" + USER + "@" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port + directory;
    }

    /** The host key as {@code ssh-keyscan} prints it, without the host name. */
    public String hostKey() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }

    public int listings() {
        return listings.get();
    }

    public int downloads(String fileName) {
        return downloads.getOrDefault(fileName, new AtomicInteger()).get();
    }

    /** How many bytes of the file clients have read, all downloads together. */
    public long bytesServed(String fileName) {
        return bytesServed.getOrDefault(fileName, new AtomicLong()).get();
    }

    /** What a client tried to change on this read-only server. */
    public List<String> refusedWrites() {
        return refusedWrites;
    }

    private final class Recorder implements SftpEventListener {

        @Override
        public void open(ServerSession session, String remoteHandle, Handle localHandle) {
            if (localHandle instanceof DirectoryHandle) {
                listings.incrementAndGet();
            } else {
                downloads.computeIfAbsent(localHandle.getFile().getFileName().toString(), name -> new AtomicInteger())
                        .incrementAndGet();
            }
        }

        @Override
        public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                int dataOffset, int dataLen, int readLen, Throwable thrown) {
            if (readLen > 0) {
                bytesServed.computeIfAbsent(localHandle.getFile().getFileName().toString(), name -> new AtomicLong())
                        .addAndGet(readLen);
            }
        }

        @Override
        public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                int dataOffset, int dataLen) throws IOException {
            refuse("write " + localHandle.getFile());
        }

        @Override
        public void creating(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
            refuse("create " + path);
        }

        @Override
        public void moving(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts)
                throws IOException {
            refuse("move " + srcPath);
        }

        @Override
        public void removing(ServerSession session, Path path, boolean isDirectory) throws IOException {
            refuse("remove " + path);
        }

        @Override
        public void modifyingAttributes(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
            refuse("change attributes of " + path);
        }

        private void refuse(String what) throws AccessDeniedException {
            refusedWrites.add(what);
            throw new AccessDeniedException(what);
        }
    }
}
