package io.jobpilot.notify;

import io.jobpilot.config.JobpilotConfig.ConfigException;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signature headers of one delivery attempt, keyed with {@code jobpilot.notify.signing-secret}:
 * <ul>
 *   <li>{@code webhook-signature}: the Standard Webhooks signature over the delivery's id, this attempt's timestamp and
 *       the body ({@link StandardWebhooks}), so a captured attempt is worthless once its timestamp leaves the
 *       receiver's tolerance window; the key is the decoded bytes of a {@code whsec_<base64>} secret, else the secret's
 *       UTF-8 bytes;</li>
 *   <li>{@code X-Jobpilot-Signature} (legacy, kept for receivers written before): {@code sha256=} and the lower-case hex
 *       HMAC-SHA256 of the body bytes alone, keyed with the secret's text exactly as before (a {@code whsec_} secret
 *       included, prefix and all).</li>
 * </ul>
 * Without a secret nothing is signed. The secret never leaves this object (no getter, no toString).
 */
public final class NotifySigner {
    public static final String LEGACY_HEADER = "X-Jobpilot-Signature";

    private final byte[] legacyKey;
    private final byte[] webhookKey;

    /**
     * @param secret null or empty: deliveries are not signed
     * @throws ConfigException a {@code whsec_} secret whose key is not base64 (the message never contains the secret)
     */
    public NotifySigner(String secret) {
        if (secret == null || secret.isEmpty()) {
            this.legacyKey = null;
            this.webhookKey = null;
            return;
        }
        this.legacyKey = secret.getBytes(StandardCharsets.UTF_8);
        try {
            this.webhookKey = StandardWebhooks.key(secret);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("jobpilot.notify.signing-secret: " + e.getMessage()
                    + " (write whsec_ followed by the base64 of the key, or a secret without that prefix)");
        }
    }

    public boolean isSigning() {
        return webhookKey != null;
    }

    /**
     * The signature headers of one attempt: {@code webhook-signature} and the legacy {@code X-Jobpilot-Signature}.
     *
     * @param id        the delivery's id, the same on every attempt ({@code webhook-id})
     * @param timestamp this attempt's time in unix seconds ({@code webhook-timestamp})
     */
    public Map<String, String> headers(String id, long timestamp, byte[] body) {
        if (!isSigning()) {
            throw new IllegalStateException("no jobpilot.notify.signing-secret is set");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(StandardWebhooks.SIGNATURE, StandardWebhooks.signature(webhookKey, id, timestamp, body));
        headers.put(LEGACY_HEADER, "sha256=" + HexFormat.of().formatHex(StandardWebhooks.hmac(legacyKey, body)));
        return headers;
    }

    @Override
    public String toString() {
        return isSigning() ? "NotifySigner[HMAC-SHA256]" : "NotifySigner[off]";
    }
}
