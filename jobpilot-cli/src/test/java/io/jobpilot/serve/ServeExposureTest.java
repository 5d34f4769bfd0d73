package io.jobpilot.serve;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.support.ServeTestSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What jobpilot's HTTP server binds to, read from the kernel's socket table (/proc/net/tcp, tcp6): loopback unless
 * configured, and never an open API beyond this machine without a token or an explicit opt-in.
 */
class ServeExposureTest extends ServeTestSupport {

    @Test
    void serveListensOnLoopbackOnlyByDefault() throws Exception {
        serve(Map.of());
        assertThat(listeners(port)).containsExactly("127.0.0.1");
        assertThat(call("GET", "/observe/health", null, null).statusCode()).isEqualTo(200);
        Optional<InetAddress> external = externalAddress();
        if (external.isPresent()) {               // a machine with a network address: it cannot reach the API
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(external.get(), port), 2000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aNonLoopbackHostWithoutATokenIsRefusedAtStartUp() throws Exception {
        Cli cli = jobpilot("serve", "--set", "jobpilot.server.port=" + freePort(), "--set", "jobpilot.server.host=0.0.0.0");
        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
        assertThat(cli.err().strip().lines()).as(cli.toString()).hasSize(1);
        assertThat(cli.err()).contains("jobpilot.server.host=0.0.0.0", "JOBPILOT_SERVER_API_TOKEN", "jobpilot.server.allow-open-api=true");
        assertThat(listeners(port)).isEmpty();
        assertThat(sandbox.journal().all()).isEmpty();
    }

    @Test
    void withATokenOrTheOptInServeListensWhereTold() throws Exception {
        serve(Map.of("jobpilot.server.host", "0.0.0.0", "jobpilot.server.api-token", "s3cret-token"));
        assertThat(listeners(port)).containsExactly("0.0.0.0");
        assertThat(call("GET", "/api/runs", null, null).statusCode()).isEqualTo(401);
        runtime.close();
        runtime = null;
        serve(Map.of("jobpilot.server.host", "0.0.0.0", "jobpilot.server.allow-open-api", "true"));
        assertThat(listeners(port)).containsExactly("0.0.0.0");
        assertThat(call("GET", "/api/runs", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aCommandLineRunsCallbackListenerIsLoopbackByDefault() throws Exception {
        Map<String, String> props = new LinkedHashMap<>(testProperties());
        props.put("jobpilot.server.port", String.valueOf(freePort()));
        try (JobpilotRuntime listening = JobpilotRuntime.start(JobpilotConfig.of(props),
                new Progress(Progress.Mode.OFF, new PrintWriter(new StringWriter())), true)) {
            assertThat(listeners(port)).containsExactly("127.0.0.1");
        }
    }

    /** The local addresses of the sockets listening on {@code port}, as the kernel lists them. */
    private static List<String> listeners(int port) throws IOException {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {         // after the header
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {    // 0A: LISTEN
                    found.add(address(local[0]));
                }
            }
        }
        return found;
    }

    /** /proc/net/tcp writes an address as little-endian 32-bit words in hex. */
    private static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - b) * 2, word * 8 + (3 - b) * 2 + 2), 16);
            }
        }
        InetAddress a = InetAddress.getByAddress(bytes);
        return a.isAnyLocalAddress() ? "0.0.0.0" : a.getHostAddress();
    }

    private static Optional<InetAddress> externalAddress() throws IOException {
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (ni.isUp() && !ni.isLoopback()) {
                Optional<InetAddress> a = ni.inetAddresses().filter(x -> x instanceof Inet4Address).findFirst();
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }
}
