package jp.nanbyo.fhir.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The servers of the directory tests, one Spring context for all of them: our server on PostgreSQL
 * (empty, demo data off), and a second server (H2, demo data on) as the directory it syncs from,
 * behind a {@link LoopbackProxy} that can play it down. The sync source {@value #SOURCE_ID} is
 * configured with small pages and transactions, so that a run needs many of both; it never runs by
 * itself (the tests start each run).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
abstract class DirectoryServers {

    static final String SOURCE_ID = "gunma";
    static final int PAGE_SIZE = 7;
    static final int TRANSACTION_SIZE = 40;

    static final Path DATA_DIR = TestDataDir.fresh("it-directory-");
    static final SecondServer SOURCE = SecondServer.start(TestDataDir.fresh("it-directory-source-"));
    static final LoopbackProxy SOURCE_PROXY = proxyUp(SOURCE.port());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.demo-data", () -> "false");
        syncSettings().forEach(setting -> registry.add(setting.substring(0, setting.indexOf('=')),
                () -> setting.substring(setting.indexOf('=') + 1)));
        registry.add("nanbyo.directory-sync.sources[0].initial-delay", () -> "1h"); // the tests start each run
    }

    /**
     * The sync settings shared by our server and a routes process (as its arguments, without the leading
     * {@code --}); each adds when the first run starts.
     */
    static List<String> syncSettings() {
        String source = "nanbyo.directory-sync.sources[0].";
        return List.of(
                source + "id=" + SOURCE_ID,
                source + "base-url=" + sourceBaseUrl(),
                source + "page-size=" + PAGE_SIZE,
                source + "transaction-size=" + TRANSACTION_SIZE,
                source + "overlap=0s",
                source + "poll-interval=1h");
    }

    /** The source as the sync sees it: through the proxy. */
    static String sourceBaseUrl() {
        return "http://127.0.0.1:" + SOURCE_PROXY.port() + "/fhir";
    }

    private static LoopbackProxy proxyUp(int port) {
        LoopbackProxy proxy = new LoopbackProxy(port);
        try {
            proxy.up();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return proxy;
    }
}
