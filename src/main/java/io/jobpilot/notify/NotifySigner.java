package io.jobpilot.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The {@code X-Jobpilot-Signature} header: {@code sha256=} and the lower-case hex HMAC-SHA256 of the exact body bytes,
 * keyed with {@code jobpilot.notify.signing-secret}. Without a secret nothing is signed. The secret never leaves this
 * object (no getter, no toString).
 */
public final class NotifySigner {
    public static final String HEADER = "X-Jobpilot-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param secret null or empty: deliveries are not signed */
    public NotifySigner(String secret) {
        this.key = secret == null || secret.isEmpty() ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public boolean isSigning() {
        return key != null;
    }

    /** The header value for these body bytes. */
    public String signature(byte[] body) {
        if (key == null) {
            throw new IllegalStateException("no jobpilot.notify.signing-secret is set");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return isSigning() ? "NotifySigner[HMAC-SHA256]" : "NotifySigner[off]";
    }
}
