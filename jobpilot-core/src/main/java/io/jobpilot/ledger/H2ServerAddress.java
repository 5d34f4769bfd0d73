package io.jobpilot.ledger;

import io.jobpilot.config.JobpilotConfig.ConfigException;

import java.util.Objects;

/**
 * Where the TCP server that AUTO_SERVER starts listens. H2 binds it to every interface unless the JVM-wide system
 * property {@code h2.bindAddress} names one, and reads that property once, when H2 first loads; so it is set here,
 * before the ledger opens its first connection. A value the user gave with {@code -Dh2.bindAddress} is theirs.
 */
final class H2ServerAddress {
    static final String PROPERTY = "h2.bindAddress";

    private H2ServerAddress() {
    }

    /**
     * Set before every H2 ledger opens (an unshared one too, as it may be the first to load H2 in this JVM);
     * {@code serving} when this open may start the server, which must then listen where chosen.
     */
    static synchronized void bindTo(String address, boolean serving) {
        String chosen = System.getProperty(PROPERTY);
        if (chosen == null) {
            System.setProperty(PROPERTY, address);
            chosen = address;
        }
        // H2 keeps the value it read when it first loaded (an embedding host may have used H2 before jobpilot did)
        String effective = org.h2.engine.SysProperties.BIND_ADDRESS;
        if (serving && !Objects.equals(effective, chosen)) {
            throw new ConfigException("the ledger's H2 server would listen on " + (effective == null ? "every interface"
                    : effective) + ", not on " + chosen + " (jobpilot.db.server-bind-address): H2 was loaded before jobpilot; "
                    + "start the JVM with -D" + PROPERTY + "=" + chosen);
        }
    }
}
