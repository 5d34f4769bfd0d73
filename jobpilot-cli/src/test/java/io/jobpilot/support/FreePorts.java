package io.jobpilot.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free port for a server a test starts. Not one the kernel hands out for port 0 (its ephemeral range starts at
 * 32768): H2's AUTO_SERVER draws its port from that range as the ledger opens, which is between a test's look for a
 * free port and the server's bind, and once took the very port the test had just seen free.
 */
public final class FreePorts {
    private FreePorts() {
    }

    public static int forServer() {
        while (true) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket probe = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // another process has it: look at another
            }
        }
    }
}
